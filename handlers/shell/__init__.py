"""`advocacy shell`: try the whole bot in a terminal, no chat account needed."""
