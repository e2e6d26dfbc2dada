"""The visitor's booking addresses: book, confirm, manage, the personal calendar file.

Links in emails carry a signed token; the pages behind them are never cached and
send no referrer, so a token never leaves the site.
"""

from django.urls import path

from bookings import views

app_name = "bookings"

urlpatterns = [
    # One date of an event: places left and the form. kwargs={"occurrence": occurrence.pk}
    path("<int:occurrence>/", views.BookView.as_view(), name="book"),
    path("check-your-email/", views.CheckEmailView.as_view(), name="check_email"),
    path("confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("manage/<str:token>/", views.ManageView.as_view(), name="manage"),
    path("calendar/<str:token>/booking.ics", views.CalendarView.as_view(), name="ics"),
]
