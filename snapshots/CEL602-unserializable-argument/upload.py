from django.core.files.uploadedfile import UploadedFile

from shop.tasks import process


def handle(upload: UploadedFile, request):
    process.delay(upload)
    process.delay(request.FILES.get("doc"))
    process.delay(upload.name)  # a string
