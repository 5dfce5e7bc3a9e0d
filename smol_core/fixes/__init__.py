"""Changes to generated code made without the model: each has one right answer, read off a
finding of the checks or off what a failing example printed."""
