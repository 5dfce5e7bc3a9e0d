"""The steps of a run, in order: the spec checked, the plan, the file list, the files."""
