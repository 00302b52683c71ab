"""Leave (假勤): requests, approvals, balances."""
