#!/bin/sh
# Install a kiosk, a counter or a store server's update sender on a Debian 12
# machine, from a built tree (see the README, "Installing a kiosk"):
#
#   sudo assets/deploy/install.sh kiosk|counter|notify [BUILT_PROGRAM]
#
# BUILT_PROGRAM defaults to build/kiosk. With DESTDIR set, files go under
# DESTDIR only and nothing on the running system is touched (no user, no
# systemctl, no udevadm): how the tests check it.
set -eu

role=${1:-}
prog=${2:-build/kiosk}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
root=${DESTDIR:-}

case "$role" in
kiosk | counter | notify) ;;
*)
	echo "usage: install.sh kiosk|counter|notify [BUILT_PROGRAM]" >&2
	exit 2
	;;
esac
if [ ! -x "$prog" ]; then
	echo "install.sh: $prog is not a built kiosk program; build first (see the README)" >&2
	exit 1
fi

unit=kiosk.service
[ "$role" = counter ] && unit=kiosk-counter.service
[ "$role" = notify ] && unit=kiosk-notify.service

# the program, its words and fonts' settings, its documentation
install -D -m 0755 "$prog" "$root/usr/local/bin/kiosk"
mkdir -p "$root/usr/local/share/kiosk"
cp -R "$top/assets" "$root/usr/local/share/kiosk/"
install -m 0644 "$top/README.md" "$root/usr/local/share/kiosk/README.md"

# the store's configuration: kept if there is one (it is the store's)
install -d -m 0755 "$root/etc/kiosk"
if [ ! -e "$root/etc/kiosk/store.ini" ]; then
	install -m 0640 "$top/assets/store.ini" "$root/etc/kiosk/store.ini"
fi

# the service, and for a screen: the devices, no Ctrl-Alt-Del, no text
# consoles to switch to
install -D -m 0644 "$here/systemd/$unit" "$root/etc/systemd/system/$unit"
# a kiosk's offline journal goes to the chain by a service of its own (it
# does nothing until [offline] journal is set)
if [ "$role" = kiosk ]; then
	install -m 0644 "$here/systemd/kiosk-sync.service" \
		"$root/etc/systemd/system/kiosk-sync.service"
fi
# a screen with its own database file copies it every night (a chain's
# database is backed up on its server: disable the timer there)
if [ "$role" != notify ]; then
	install -m 0644 "$here/systemd/kiosk-backup.service" "$here/systemd/kiosk-backup.timer" \
		"$root/etc/systemd/system/"
fi
if [ "$role" != notify ]; then
	install -D -m 0644 "$here/udev/70-kiosk.rules" "$root/etc/udev/rules.d/70-kiosk.rules"
	mkdir -p "$root/etc/systemd/system" "$root/etc/systemd/logind.conf.d"
	ln -sf /dev/null "$root/etc/systemd/system/ctrl-alt-del.target"
	install -m 0644 "$here/systemd/logind-kiosk.conf" \
		"$root/etc/systemd/logind.conf.d/kiosk.conf"
fi

[ -n "$root" ] && exit 0

# on the running system
if ! getent passwd kiosk > /dev/null; then
	useradd --system --home-dir /var/lib/kiosk --no-create-home --shell /usr/sbin/nologin \
		--user-group kiosk
fi
chgrp kiosk /etc/kiosk/store.ini
systemctl daemon-reload
if [ "$role" != notify ]; then
	udevadm control --reload
	udevadm trigger --subsystem-match=usb --subsystem-match=hidraw
	systemctl disable getty@tty1.service 2> /dev/null || true
fi
systemctl enable "$unit"
[ "$role" = kiosk ] && systemctl enable kiosk-sync.service
[ "$role" != notify ] && systemctl enable kiosk-backup.timer
echo "Installed. Edit /etc/kiosk/store.ini (the store, its database, its channels), then:"
echo "  systemctl start $unit"
