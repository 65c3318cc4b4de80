from django.conf import settings
from rest_framework import serializers

from portal.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    url = serializers.SerializerMethodField(help_text="The page the notification is about.")
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "is_read"]

    def get_url(self, notification) -> str:
        if not notification.url:
            return ""
        return settings.SITE_URL.rstrip("/") + notification.url

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None
