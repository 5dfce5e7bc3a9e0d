"""The spec's English read, asked of no model: the examples it writes out, its pages' checks,
and the model's examples held to what it says."""
