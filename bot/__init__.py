"""advocacy-bot core: knows members, content, shares, points and policy; knows no chat platform."""
