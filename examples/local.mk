# examples/: demo targets
