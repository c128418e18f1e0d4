FROM debian:bookworm-slim
RUN <<EOF
set -eux
apt-get update
echo "done" > /tmp/out
EOF
RUN --mount=type=cache,target=/var/cache/apt <<EOT bash
if [ -f /etc/os-release ]; then cat /etc/os-release; fi
EOT
RUN <<"EOF"
echo '$HOME stays literal'
EOF
RUN <<'EOF'
echo "single-quoted delimiter"
EOF
RUN <<-EOT
	echo indented
	EOT
RUN bash -ex <<EOF
ls -la /
EOF
RUN --mount=type=bind,target=. \
    --mount=type=cache,target=/root/.cache <<EOT
  go build ./...
EOT
ONBUILD RUN <<EOF
echo onbuild
EOF
RUN <<EOF
echo "a tab-indented delimiter does not end a plain <<EOF"
	EOF
EOF
RUN <<EOF
#!/usr/bin/env python3
print("run by python, shown as text")
EOF
RUN <<EOF
#!/bin/sh -e
echo "a shell shebang keeps shell highlighting"
EOF
USER nobody
