from django.urls import path

from tongban.meetings.views import calendar, meetings, rooms, signin

app_name = "meetings"

urlpatterns = [
    path("staff/meetings/", meetings.meeting_list, name="list"),
    path("staff/meetings/new/", meetings.new_meeting, name="new"),
    path("staff/meetings/rooms/", rooms.availability, name="rooms"),
    path("staff/meetings/rooms/manage/", rooms.manage_rooms, name="manage_rooms"),
    path("staff/meetings/rooms/manage/new/", rooms.room_form, name="new_room"),
    path("staff/meetings/rooms/manage/<id:room_id>/", rooms.room_form, name="edit_room"),
    path("staff/meetings/calendar/", calendar.my_week, name="calendar"),
    path("staff/meetings/calendar/meetings.ics", calendar.download_ics, name="calendar_ics"),
    path("staff/meetings/calendar/renew/", calendar.renew_feed, name="renew_feed"),
    path("staff/meetings/calendar/stop/", calendar.stop_feed, name="stop_feed"),
    path("meetings/feed/<str:token>.ics", calendar.feed, name="feed"),
    path("staff/meetings/<id:meeting_id>/", meetings.meeting_page, name="meeting"),
    path("staff/meetings/<id:meeting_id>/invite/", meetings.invite, name="invite"),
    path(
        "staff/meetings/<id:meeting_id>/invitations/<id:invitation_id>/remove/",
        meetings.uninvite,
        name="uninvite",
    ),
    path("staff/meetings/<id:meeting_id>/notice/", meetings.send_notice, name="send_notice"),
    path("staff/meetings/<id:meeting_id>/remind/", meetings.remind, name="remind"),
    path("staff/meetings/<id:meeting_id>/reply/", meetings.reply, name="reply"),
    path(
        "staff/meetings/<id:meeting_id>/departments/<id:invitation_id>/name/",
        meetings.name_attendees,
        name="name_attendees",
    ),
    path("staff/meetings/<id:meeting_id>/decisions/", meetings.add_decision, name="add_decision"),
    path(
        "staff/meetings/<id:meeting_id>/decisions/<id:decision_id>/remove/",
        meetings.remove_decision,
        name="remove_decision",
    ),
    path("staff/meetings/<id:meeting_id>/minutes/", meetings.draft_minutes, name="draft_minutes"),
    path("staff/meetings/<id:meeting_id>/cancel/", meetings.cancel, name="cancel"),
    path("staff/meetings/<id:meeting_id>/door-code/", signin.door_code, name="door_code"),
    path("staff/meetings/<id:meeting_id>/sign-in/<str:token>/", signin.sign_in, name="sign_in"),
    path("staff/meetings/<id:meeting_id>/sign-in-sheet/", signin.sign_in_sheet, name="sign_in_sheet"),
    path(
        "staff/meetings/<id:meeting_id>/sign-in-sheet/<id:invitation_id>/",
        signin.sign_in_for,
        name="sign_in_for",
    ),
]
