"""Uploads in an S3-compatible object store (CQS_S3_BUCKET, issue 15's scale-out): the same intake and
the same permission-checked download as on disk, with nothing left behind by a rejected file.

moto answers as the store's endpoint (the disk storage, the default, is tested everywhere else)."""

import boto3
import pytest
from moto import mock_aws

from apps.core.files.intake import UploadRejected, accept_upload
from apps.organizations.roles import Role
from config.settings.base import file_storage
from conftest import verified_client

from .test_files import get_download, make_pdf, make_pe, upload

BUCKET = "cqs-ho-so"


def test_without_a_bucket_files_stay_on_disk(monkeypatch):
    monkeypatch.delenv("CQS_S3_BUCKET", raising=False)
    assert file_storage()["BACKEND"] == "django.core.files.storage.FileSystemStorage"


@pytest.fixture
def s3(monkeypatch, settings):
    for name, value in {
        "CQS_S3_BUCKET": BUCKET,
        "CQS_S3_REGION": "ap-southeast-1",
        "CQS_S3_ACCESS_KEY": "khoa-thu",
        "CQS_S3_SECRET_KEY": "bi-mat-thu",
        "CQS_S3_PREFIX": "tep",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name="ap-southeast-1")
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"}
        )
        settings.STORAGES = {**settings.STORAGES, "default": file_storage()}
        settings.CLAMD_SOCKET = settings.CLAMD_TCP = ""
        yield client


def objects(client) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {o["Key"]: client.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() for o in listed}


def test_an_upload_is_stored_privately_in_the_bucket_and_downloaded_through_the_view(s3, client, users, tree):
    data = make_pdf("Ho so luu tren kho doi tuong")
    stored = accept_upload(
        upload("Giấy phép.pdf", data),
        purpose="document",
        user=users[Role.SPECIALIST],
        organization=tree["tech"],
    )
    kept = objects(s3)
    assert list(kept.values()) == [data] and all(key.startswith("tep/") for key in kept)
    key = next(iter(kept))
    grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert all("AllUsers" not in str(g.get("Grantee", {})) for g in grants), "a record must not be public"
    response = get_download(verified_client(client, users[Role.SPECIALIST]), stored)
    assert response.status_code == 200 and b"".join(response.streaming_content) == data
    # Another unit's citizen cannot fetch it by its id: the bucket is never the way in.
    assert get_download(verified_client(client, users[Role.CITIZEN]), stored).status_code == 404


def test_a_rejected_upload_leaves_no_object(s3, users, tree):
    with pytest.raises(UploadRejected):
        accept_upload(upload("to-khai.pdf", make_pe()), purpose="document", user=users[Role.SPECIALIST])
    assert objects(s3) == {}
