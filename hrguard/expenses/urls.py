"""Pages of the expenses app. Mounted with the other record apps under /activity/ in the ``activity`` URL
namespace (``hrguard/urls.py``), so page paths and names stay as they were."""

from django.urls import path

from . import views

urlpatterns = [
    # Expenses and travel (出差 / 报销 / 借款)
    path("expenses/", views.mine, name="my_expenses"),
    path("expenses/approvals/", views.approvals, name="expense_approvals"),
    path("expenses/<str:kind>/<int:pk>/decide/", views.decide, name="expense_decide"),
    path("expenses/finance/", views.finance, name="finance"),
    path("expenses/advances/<int:pk>/repay/", views.repay, name="advance_repay"),
    path("expenses/export/<str:kind>.xlsx", views.export, name="expense_export"),
]
