# Kundportal's container image: a static binary on a distroless base, run
# as a user without privileges, with its data on a volume.
#
#   docker build -t kundportal .
#   docker run -p 8080:8080 -v kundportal-data:/data -e KUNDPORTAL_DEMO=1 kundportal
#
# The image holds nothing but the binary: no shell, no package manager.
# Its health check is the binary's own `kundportal health`.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Pure Go (modernc.org/sqlite needs no cgo): a static binary that runs on
# any base. The templates, static files and migrations are embedded.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/kundportal ./cmd/kundportal \
	&& mkdir -p /out/data

# distroless/static: CA certificates (for S3, SMTP and PostgreSQL over
# TLS), time zones and a passwd with the nonroot user (65532).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/kundportal /usr/local/bin/kundportal
COPY --from=build --chown=65532:65532 /out/data /data
ENV KUNDPORTAL_DATA_DIR=/data \
	KUNDPORTAL_ADDR=:8080
USER 65532:65532
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=6s --start-period=30s --retries=3 \
	CMD ["/usr/local/bin/kundportal", "health"]
ENTRYPOINT ["/usr/local/bin/kundportal"]
