"""After the files are written: checks by language, read from the text without running it."""
