"""The visitor's booking addresses: book, confirm, manage, the personal calendar file."""

app_name = "bookings"

urlpatterns: list = []
