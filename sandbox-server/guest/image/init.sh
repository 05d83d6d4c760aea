#!/bin/busybox sh
# /init of the JailLab guest initramfs. It gives the guest's world a real block
# device (an ext4-driver filesystem on a loop device over a sparse file in RAM),
# so a jailed root that makes a device node for that disk reads real blocks,
# then switches root to it and hands PID 1 to the agent.
export PATH=/bin
busybox mount -t devtmpfs dev /dev
busybox mount -t proc proc /proc
for m in $(busybox cat /lib/modules/load-order); do
  busybox insmod "/lib/modules/$m.ko" || echo "jaillab-init: insmod $m failed"
done
busybox truncate -s @DISK_MB@M /disk.img
# No journal and no atime: the VM lives for one run and never crashes into fsck, and under TCG every
# journal block written for the world's small files (rebuilt for every check) costs real time.
busybox mke2fs -q -F -L jaillab -b 4096 -m 0 -O ^has_journal /disk.img >/dev/null
busybox losetup /dev/loop0 /disk.img
busybox mkdir -p /newroot
busybox mount -t ext4 -o noatime /dev/loop0 /newroot || { echo "jaillab-init: cannot mount the world disk"; busybox poweroff -f; }
busybox cp -a /rootfs/. /newroot/
busybox umount /proc
busybox umount /dev
exec busybox switch_root /newroot /sbin/jaillab-agent
