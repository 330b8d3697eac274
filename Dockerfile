# The ssoctl container image, built by GoReleaser (dockers_v2 in .goreleaser.yaml), which puts each
# platform's binary at <os>/<arch>/ssoctl in the build context.
#   docker run --rm -v "$PWD:/work" -w /work ghcr.io/ssoctl/ssoctl validate --format github
# distroless static: CA certificates, /etc/passwd with the non-root user 65532, tzdata, nothing else
# (ssoctl is built with CGO_ENABLED=0). BASE=…:debug-nonroot adds busybox for GitLab CI's `script:`.
ARG BASE=gcr.io/distroless/static-debian12:nonroot
FROM ${BASE}
ARG TARGETPLATFORM
COPY ${TARGETPLATFORM}/ssoctl /usr/bin/ssoctl
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/bin/ssoctl"]
