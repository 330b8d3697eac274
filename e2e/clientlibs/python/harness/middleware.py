from django.http import JsonResponse


class ReportExceptions:
    """Answers an exception raised during the login (Django's 500 page in InvenTree) with the
    exception itself, so the test records what failed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return JsonResponse({"ok": False, "error": f"HTTP 500 at {request.path}: {type(exception).__name__}: {exception}"})
