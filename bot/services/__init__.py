"""One module per feature. Each function takes a `Turn` and returns a `Message`."""
