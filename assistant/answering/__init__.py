"""Passages → answers: the routes, the extractive composer, the generative answerer and its checks."""
