/* Entry header for jextract: <linux/kvm.h> (with <asm/kvm.h>) as dev.partita.nativebindings.kvm mirrors it. */
#include <linux/kvm.h>
