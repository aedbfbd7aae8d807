from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.review_queue, name="queue"),
    path("<slug:kind>/<int:pk>/", views.review, name="review"),
]
