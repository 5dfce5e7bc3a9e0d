"""The steps of a run, each a request to the model: the spec checked, the plan, the file list,
the examples, the files, their repairs and the heal loop."""
