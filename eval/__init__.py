"""Evaluation harness: gold set, metrics, runner and quality gate for the assistant."""
