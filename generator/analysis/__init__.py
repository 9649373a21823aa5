"""Analysis: what the whole knowledge base says once every record is in — cross-links,
indicator trends, what followed each fix, win/loss, calibration, recall and the checklists."""
