"""Screening detectors: each takes the text and returns findings, nothing else."""
