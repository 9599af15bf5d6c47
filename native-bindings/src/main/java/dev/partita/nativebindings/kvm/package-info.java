/**
 * Bindings to {@code <linux/kvm.h>} (x86-64), in the shape jextract generates: the header class
 * {@link dev.partita.nativebindings.kvm.Kvm_h} (ioctl numbers, capabilities, exit reasons and other
 * constants, with name tables) and one class per C struct (layout, {@code OFFSET_*} constants, static
 * accessors). Union members are flattened into their enclosing struct with a prefix naming the union
 * member ({@code io_port}, {@code msr_index}, ...). Header-mirroring only: no logic.
 */
package dev.partita.nativebindings.kvm;
