from django.apps import AppConfig


class ExpensesConfig(AppConfig):
    name = "hrguard.expenses"
    label = "expenses"
    verbose_name = "Expenses and travel"

    def ready(self) -> None:
        # Receipts are downloadable by whoever sees the claim; the money part of the profile section.
        from hrguard.records import files, summary

        from . import selectors

        files.register_owner("expense", lambda user, pk: selectors.claims(user).filter(pk=pk).first())
        summary.register(selectors.summary_part)
