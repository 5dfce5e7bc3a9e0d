"""After the files are written: checks by language, fixes without the model, repairs."""
