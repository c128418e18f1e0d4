FROM alpine:3.20
COPY <<EOF /etc/motd
RUN this is file content, not an instruction
# not a comment either
EOF
ADD <<"EOF" /index.html
<h1>$TITLE</h1>
EOF
COPY --chmod=755 <<-EOT /build.sh
	#!/bin/sh
	echo build
	EOT
RUN cat <<EOF > /etc/app.conf
key=value
EOF
RUN python3 <<EOF
print("python, not shell")
EOF
RUN <<EOF cat > /tmp/x
stdin of cat
EOF
RUN cat <<<"a here-string is not a heredoc"
CMD ["sh"]
