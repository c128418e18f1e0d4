FROM golang:1.22 AS builder
WORKDIR /src
# a comment
RUN apt-get update && \
    # a comment inside a continuation
    apt-get install -y --no-install-recommends git \

    && rm -rf /var/lib/apt/lists/*
RUN ["go", "build", "-o", "/out/app", "."]
COPY --from=builder --chown=1000:1000 /out/app "/usr/local/bin/app"
ENV A="b c" \
    D=e
CMD ["app"]
