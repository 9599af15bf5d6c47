/**
 * Bindings to the parts of glibc that Partita uses, in the shape jextract generates: the header
 * class {@link dev.partita.nativebindings.libc.Libc} (constants and downcalls), one class per C struct
 * (layout, {@code OFFSET_*} constants, static accessors) and the {@link dev.partita.nativebindings.libc.Errno}
 * name table. Header-mirroring only: no logic.
 */
package dev.partita.nativebindings.libc;
