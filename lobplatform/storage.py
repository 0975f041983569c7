"""Uploads that are either saved whole or not at all, and a Dutch answer when the media volume is full or read-only.

Django's ``FileSystemStorage`` writes an upload straight into its final name: a disk that fills up half-way leaves
a truncated file that an image or document row may later point to, and the ``OSError`` became a bare 500.

:class:`SafeFileSystemStorage` writes to a hidden ``.upload-*.part`` file beside the target, flushes it to disk,
reserves the final name (never overwriting one) and moves the complete file there in one ``rename``. Anything that
goes wrong removes the part file (and the reservation), and raises :class:`StorageUnavailable` with a Dutch
message. That exception is also Wagtail's ``SourceImageIOError``: a public page whose image still needs resizing
while the volume is read-only shows the page without that image instead of failing.

:class:`StorageErrorMiddleware` turns it into the answer people see: a Dutch page (507 when the disk is full, 503
otherwise) or, for the admin's upload scripts, their JSON error.
"""

import errno
import logging
import os
import tempfile

from django.core.files.storage import FileSystemStorage
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.images.models import SourceImageIOError

logger = logging.getLogger(__name__)

FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
READ_ONLY = {errno.EROFS}
FORBIDDEN = {errno.EACCES, errno.EPERM}


class StorageUnavailable(SourceImageIOError):
    """The media volume refused a file (full, read-only, not writable); nothing of the file was kept."""

    def __init__(self, error):
        self.cause_errno = error.errno
        super().__init__(error.errno, self.message_for(error.errno))

    @property
    def full(self):
        return self.cause_errno in FULL

    @staticmethod
    def message_for(number):
        if number in FULL:
            return _("De opslag voor bestanden is vol. Het bestand is niet bewaard; wat al was opgeslagen, blijft "
                     "bewaard. Probeer het later opnieuw; de beheerder is ingelicht.")
        if number in READ_ONLY:
            return _("De opslag voor bestanden kan op dit moment alleen gelezen worden. Het bestand is niet bewaard; "
                     "wat al was opgeslagen, blijft bewaard. Probeer het later opnieuw; de beheerder is ingelicht.")
        return _("Het bestand kon niet worden opgeslagen (de opslag weigert het). Wat al was opgeslagen, blijft "
                 "bewaard. Probeer het later opnieuw; de beheerder is ingelicht.")


class SafeFileSystemStorage(FileSystemStorage):
    """``FileSystemStorage`` that saves a file whole or not at all (see the module)."""

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        part = reserved = None
        try:
            if self.directory_permissions_mode is not None:
                os.makedirs(directory, self.directory_permissions_mode, exist_ok=True)
            else:
                os.makedirs(directory, exist_ok=True)
            descriptor, part = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=directory)
            with os.fdopen(descriptor, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                out.flush()
                os.fsync(out.fileno())  # a full disk may only say so here
            while True:  # reserve a free name (O_EXCL), as Django does, then move the whole file onto it
                try:
                    os.close(os.open(full_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
                    reserved = full_path
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
            os.replace(part, full_path)
            part = reserved = None
        except OSError as error:
            logger.error("Bestand %s niet opgeslagen in %s: %s", name, self.location, error)
            raise StorageUnavailable(error) from error
        finally:
            for leftover in (part, reserved):
                if leftover:
                    try:
                        os.unlink(leftover)
                    except OSError:
                        pass
        if self.file_permissions_mode is not None:
            os.chmod(full_path, self.file_permissions_mode)
        else:
            # mkstemp made it 0600; give it the mode Django's own save gives (0666 less the umask).
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(full_path, 0o666 & ~umask)
        return str(os.path.relpath(full_path, self.location)).replace("\\", "/")


class StorageErrorMiddleware:
    """A refused file is a Dutch message, never a 500 (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StorageUnavailable):
            return None
        message = str(exception.strerror)
        if request.headers.get("x-requested-with") == "XMLHttpRequest" or "json" in request.headers.get("accept", ""):
            # Wagtail's multiple upload shows error_message beside the file that failed.
            return JsonResponse({"success": False, "error_message": message})
        return TemplateResponse(request, "storage_error.html", {"message": message},
                                status=507 if exception.full else 503).render()
