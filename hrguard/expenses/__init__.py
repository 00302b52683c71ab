"""Expenses and travel: trips, claims with receipts, advances and loans."""
