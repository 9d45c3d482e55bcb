package dev.sluice.upload;

/** One part of a multipart upload as S3 holds it: its number, its ETag (as S3 quotes it) and its size. */
public record UploadedPart(int number, String etag, long size) {}
