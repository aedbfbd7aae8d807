from django.urls import path

from . import views

app_name = "safeguarding"

urlpatterns = [
    path("", views.home, name="home"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/export.csv", views.referral_export, name="referral_export"),
    path("referrals/new/", views.referral_create, name="referral_create"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/edit/", views.referral_update, name="referral_update"),
    path("referrals/<int:pk>/close/", views.referral_close, name="referral_close"),
    path("referrals/<int:pk>/reopen/", views.referral_reopen, name="referral_reopen"),
    path("referrals/<int:pk>/lines/", views.referral_lines, name="referral_lines"),
    path("referrals/<int:pk>/occupants/add/", views.occupant_add, name="occupant_add"),
    path(
        "referrals/<int:pk>/occupants/<int:record_pk>/edit/",
        views.occupant_change,
        name="occupant_change",
    ),
    path("referrals/<int:pk>/exchanges/add/", views.exchange_add, name="exchange_add"),
    path("referrals/<int:pk>/actions/add/", views.action_add, name="action_add"),
    path(
        "referrals/<int:pk>/actions/<int:record_pk>/edit/",
        views.action_change,
        name="action_change",
    ),
    path("referrals/<int:pk>/shares/add/", views.share_add, name="share_add"),
    path(
        "referrals/<int:pk>/shares/<int:share_pk>/confirm/",
        views.share_confirm,
        name="share_confirm",
    ),
    path(
        "referrals/<int:pk>/shares/<int:share_pk>/withdraw/",
        views.share_withdraw,
        name="share_withdraw",
    ),
]
