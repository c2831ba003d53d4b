from django.urls import path

from tongban.hotline import views

app_name = "hotline"

urlpatterns = [
    path("hotline/", views.index, name="index"),
    path("hotline/new/", views.new, name="new"),
    path("hotline/mailbox/", views.new, {"mailbox": True}, name="mailbox"),
    path("hotline/mine/", views.mine, name="mine"),
    path("hotline/mine/<id:order_id>/", views.my_order, name="my_order"),
    path("hotline/mine/<id:order_id>/rate/", views.rate, name="rate"),
    path("hotline/board/", views.board, name="board"),
    path("staff/hotline/", views.queue, name="queue"),
    path("staff/hotline/department/", views.department, name="department"),
    path("staff/hotline/call/", views.call, name="call"),
    path("staff/hotline/rules/", views.routing_rules, name="rules"),
    path("staff/hotline/limits/", views.time_limits, name="limits"),
    path("staff/hotline/statistics/", views.statistics, name="statistics"),
    path("staff/hotline/orders/<id:order_id>/", views.order_page, name="order"),
    path("staff/hotline/orders/<id:order_id>/<slug:action>/", views.act, name="act"),
]
