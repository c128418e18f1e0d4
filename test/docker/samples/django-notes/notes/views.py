import json

import django
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .models import Note


def index(request):
    return JsonResponse({"app": "notes", "django": django.get_version(), "notes": Note.objects.count()})


@csrf_exempt
def notes(request):
    if request.method == "POST":
        text = json.loads(request.body or b"{}").get("text", "").strip()
        if not text:
            return JsonResponse({"error": "text is required"}, status=400)
        note = Note.objects.create(text=text)
        return JsonResponse({"id": note.id, "text": note.text}, status=201)
    return JsonResponse({"notes": [{"id": n.id, "text": n.text} for n in Note.objects.order_by("id")]})
