"""Model fields shared by the apps."""

from django.db import models

from .images import image_strip_metadata, validate_image_upload


class CleanImageField(models.ImageField):
    """An ImageField whose uploads are validated and stored re-encoded, without metadata."""

    default_validators = [validate_image_upload]

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            file.file = image_strip_metadata(file=file.file)
        return super().pre_save(model_instance, add)
