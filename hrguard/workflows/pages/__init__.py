"""The process pages (mounted at /processes/, URL namespace ``workflows``): template list and editor,
process detail, my tasks. Thin views over ``workflows.services`` / ``editing`` / ``selectors``."""
