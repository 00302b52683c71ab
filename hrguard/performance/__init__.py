"""Performance: cycles, KPIs and weights, scores and ratings, improvement plans."""
