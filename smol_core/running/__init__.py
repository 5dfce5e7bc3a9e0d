"""Running generated code: the sandbox, the examples, their results."""
