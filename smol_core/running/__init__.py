"""Running generated code: the sandbox, the examples run and judged, the browser."""
