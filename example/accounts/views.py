import json

from django.contrib.auth import authenticate, login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


def login_view(request):
    if request.method == "POST":
        user = authenticate(request, username=request.POST["username"], password=request.POST["password"])
        if user is not None:
            login(request, user)
            return redirect("/")
        return render(request, "accounts/login.html", {"error": "Invalid credentials"})
    return render(request, "accounts/login.html")


@csrf_exempt
@require_POST
def payment_webhook(request):
    payload = json.loads(request.body)
    return JsonResponse({"received": payload.get("id")})


def ping(request):
    return HttpResponse("ok")
