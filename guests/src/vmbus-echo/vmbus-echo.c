/*
 * vmbus-echo: a guest-side VMBus client (VSC) for Partita's echo VSP, long mode CPL0.
 *   hyperv 1-15    CPUID "Microsoft Hv" and feature bits, GUEST_OS_ID, hypercall page, VP_INDEX, local APIC,
 *                  SIMP/SIEFP, SINT2 -> vector 0xF3, SCONTROL; HvPostMessage status (hv.c)
 *   contact 20-22  INITIATE_CONTACT 5.3..5.0 on connection 4, VERSION_RESPONSE, msg_conn_id
 *   offers 25-29   REQUESTOFFERS, OFFERCHANNEL until ALLOFFERS_DELIVERED, the echo class GUID offered once
 *   open 30-37     GPADL of the ring pages (GPADL_HEADER + GPADL_BODY), GPADL_CREATED, OPENCHANNEL, result 0
 *   echo 40-54     ECHO_PACKETS in-band packets with completion requested, sizes 1..ECHO_MAX_SMALL bytes and
 *                  every 500th ECHO_BIG bytes, up to ECHO_WINDOW in flight; each completion checked: type,
 *                  offsets, transaction id (= the oldest outstanding request), length, content, zero padding,
 *                  trailer; ring indices checked; packets straddling the end of both rings counted (must be > 0)
 *   close 60-62    CLOSECHANNEL, GPADL_TEARDOWN -> GPADL_TORNDOWN, UNLOAD -> UNLOAD_RESPONSE
 * Ring rules (docs/hyperv-guest-interface.md section 5): the writer signals (HvSignalEvent on the
 * channel's connection id) after an empty->non-empty transition unless the reader's interrupt mask is
 * set; the reader masks interrupts while draining and signals the writer when the free space rises past
 * the writer's pending send size; a blocked writer sets its own pending send size and halts.
 * Progress on port 0xE9 every 1000 packets; statistics at the end.
 * Echoes are expected in request order (the echo VSP answers on one thread through FIFO rings), so the
 * check of each completion's transaction id is "equals the oldest outstanding request".
 * Cost on PVM (CPL0 emulated, ~1 MIPS, memory operands dearer): about 0.35 ms per packet fixed plus the
 * payload copies and compares, hence quadword string instructions; with 64 packets in flight the guest
 * halts only a few dozen times per 10,000 packets, so HLT versus polling hardly matters.
 */
#include "rt.h"
#include "x86.h"
#include "hv.h"

#define ECHO_PACKETS   10000u
#define ECHO_WINDOW    64u
#define ECHO_MAX_SMALL 320u
#define ECHO_BIG       2000u

/* VMBus channel messages (type u32 at 0, padding u32 at 4). C names CHANNELMSG_*. */
#define MSG_OFFERCHANNEL          1
#define MSG_REQUESTOFFERS         3
#define MSG_ALLOFFERS_DELIVERED   4
#define MSG_OPENCHANNEL           5
#define MSG_OPENCHANNEL_RESULT    6
#define MSG_CLOSECHANNEL          7
#define MSG_GPADL_HEADER          8
#define MSG_GPADL_BODY            9
#define MSG_GPADL_CREATED        10
#define MSG_GPADL_TEARDOWN       11
#define MSG_GPADL_TORNDOWN       12
#define MSG_INITIATE_CONTACT     14
#define MSG_VERSION_RESPONSE     15
#define MSG_UNLOAD               16
#define MSG_UNLOAD_RESPONSE      17
#define VMBUS_CONNECTION_ID_4     4     /* VMBUS_MESSAGE_CONNECTION_ID_4: INITIATE_CONTACT for 5.0+ */

/* Packet descriptor types (VM_PKT_*) and flags. */
#define PKT_DATA_INBAND   6
#define PKT_COMPLETION   11
#define PKT_FLAG_COMPLETION_REQUESTED 1

/* Ring: one GPADL of RING_PAGES pages; guest->host ring first (header + OUT_DATA_PAGES), then host->guest.
 * 32 pages need a GPADL_BODY after the header (a header holds at most 26 PFNs). */
#define RING_PAGES      32u
#define OUT_PAGES       28u
#define IN_PAGES        (RING_PAGES - OUT_PAGES)
#define GPADL_ID        0x6A7Eu
#define OPEN_ID         0x55u

struct ring_header {
    volatile uint32_t write_index;
    volatile uint32_t read_index;
    volatile uint32_t interrupt_mask;
    volatile uint32_t pending_send_sz;
    uint32_t reserved[12];
    volatile uint32_t feature_bits;      /* bit 0: pending send size supported */
};

struct ring {
    struct ring_header *hdr;
    uint8_t *data;
    uint32_t size;
    uint32_t index;                      /* our private write (out) or read (in) index */
    uint32_t straddles;                  /* packets that were split by the end of the data area */
};

static uint8_t ring_pages[RING_PAGES * 4096] __attribute__((aligned(4096)));
static uint8_t pattern[4096 + ECHO_BIG];
static uint8_t msg[HV_MESSAGE_PAYLOAD] __attribute__((aligned(8)));
static uint8_t out_msg[HV_MESSAGE_PAYLOAD] __attribute__((aligned(8)));
static struct ring out_ring, in_ring;
static uint32_t msg_conn_id, relid, channel_conn_id;
static uint32_t writer_pending_waits, reader_pending_signals, window_waits;

/* Partita's echo VSP class 5a6b7c8d-0e1f-4a2b-9c3d-4e5f60718293 in the wire (mixed-endian) layout. */
static const uint8_t ECHO_CLASS[16] = {
    0x8d, 0x7c, 0x6b, 0x5a, 0x1f, 0x0e, 0x2b, 0x4a, 0x9c, 0x3d, 0x4e, 0x5f, 0x60, 0x71, 0x82, 0x93 };

static inline uint32_t rd32(const uint8_t *p) { return *(const uint32_t *)p; }
static inline void wr32(uint8_t *p, uint32_t v) { *(uint32_t *)p = v; }
static inline void wr64(uint8_t *p, uint64_t v) { *(uint64_t *)p = v; }
static inline void mfence(void) { __asm__ volatile("mfence" ::: "memory"); }

/* String instructions: at CPL0 on PVM every REP iteration is emulated, so move quadwords, then the tail. */
static void copy_bytes(void *d, const void *s, uint32_t n) {
    uint64_t q = n >> 3, b = n & 7;
    __asm__ volatile("rep movsq\n\tmov %3, %%rcx\n\trep movsb"
                     : "+D"(d), "+S"(s), "+c"(q) : "r"(b) : "memory");
}

/* 1 when the n bytes are equal (REPE CMPSQ, then REPE CMPSB for the tail). */
static int same_bytes(const void *a, const void *b, uint32_t n) {
    uint64_t q = n >> 3, t = n & 7;
    uint8_t equal = 1;
    if (q) __asm__ volatile("repe cmpsq; sete %0" : "=r"(equal), "+D"(a), "+S"(b), "+c"(q) : : "memory", "cc");
    if (equal && t) __asm__ volatile("repe cmpsb; sete %0" : "=r"(equal), "+D"(a), "+S"(b), "+c"(t) : : "memory", "cc");
    return equal;
}

static void send_msg(const void *m, uint32_t size) {
    hv_post(msg_conn_id, m, size);
}

/* Next channel message; message types other than `want` fail check `check`. */
static uint32_t expect_msg(uint32_t want, uint32_t min_size, int check) {
    uint32_t size = hv_receive(msg);
    uint32_t type = size >= 8 ? rd32(msg) : 0;
    if (type != want) rt_fail_eq(check, "channel message type", type, want);
    if (size < min_size) rt_fail_eq(check, "channel message size", size, min_size);
    return size;
}

/* ---- connection and offers -------------------------------------------------------------------- */

static void contact(void) {
    static const uint32_t versions[] = { 5u << 16 | 3, 5u << 16 | 2, 5u << 16 | 1, 5u << 16 };
    rt_section("contact");
    msg_conn_id = VMBUS_CONNECTION_ID_4;
    for (unsigned i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        memset(out_msg, 0, 40);
        wr32(out_msg, MSG_INITIATE_CONTACT);
        wr32(out_msg + 8, versions[i]);
        wr32(out_msg + 12, hv_vp_index());        /* target vcpu */
        out_msg[16] = HV_SINT_VMBUS;              /* msg_sint (5.0+); monitor pages 1 and 2 stay 0 */
        hv_post(VMBUS_CONNECTION_ID_4, out_msg, 40);
        expect_msg(MSG_VERSION_RESPONSE, 16, 20);
        if (msg[8]) {
            msg_conn_id = rd32(msg + 12);
            CHECK_VAL(21, msg_conn_id != 0 && msg_conn_id < 0x1000000u, msg_conn_id);
            rt_puts("version 5.");
            rt_putdec(versions[i] & 0xFFFF);
            rt_puts(" msg_conn_id ");
            rt_putdec(msg_conn_id);
            rt_putc(' ');
            rt_ok();
            return;
        }
    }
    rt_fail(22, "no VMBus version 5.x accepted");
}

static void offers(void) {
    rt_section("offers");
    memset(out_msg, 0, 8);
    wr32(out_msg, MSG_REQUESTOFFERS);
    send_msg(out_msg, 8);
    uint32_t found = 0, total = 0;
    for (;;) {
        uint32_t size = hv_receive(msg);
        CHECK_VAL(25, size >= 8, size);
        uint32_t type = rd32(msg);
        if (type == MSG_ALLOFFERS_DELIVERED) break;
        CHECK_VAL(26, type == MSG_OFFERCHANNEL, type);
        CHECK_VAL(27, size >= 196, size);
        total++;
        if (same_bytes(msg + 8, ECHO_CLASS, 16)) {
            found++;
            relid = rd32(msg + 184);
            channel_conn_id = rd32(msg + 192);
        }
    }
    CHECK_EQ(28, found, 1);
    CHECK_VAL(29, relid != 0 && relid < 2048 && channel_conn_id != 0, relid);
    rt_putdec(total);
    rt_puts(" offer(s), echo relid ");
    rt_putdec(relid);
    rt_puts(" connection ");
    rt_puthex(channel_conn_id, 8);
    rt_putc(' ');
    rt_ok();
}

/* ---- GPADL and open ----------------------------------------------------------------------------- */

static void open_channel(void) {
    rt_section("open");
    /* ring_pages is in .bss, zeroed by the entry code: both headers start with every index 0. */
    out_ring = (struct ring){ (struct ring_header *)ring_pages, ring_pages + 4096, (OUT_PAGES - 1) * 4096, 0, 0 };
    in_ring = (struct ring){ (struct ring_header *)(ring_pages + OUT_PAGES * 4096), ring_pages + (OUT_PAGES + 1) * 4096,
                             (IN_PAGES - 1) * 4096, 0, 0 };
    out_ring.hdr->feature_bits = 1;
    in_ring.hdr->feature_bits = 1;

    uint64_t pfn0 = (uint64_t)(uintptr_t)ring_pages >> 12;
    const uint32_t header_pfns = (HV_MESSAGE_PAYLOAD - 28) / 8;             /* 26 */
    memset(out_msg, 0, sizeof out_msg);
    wr32(out_msg, MSG_GPADL_HEADER);
    wr32(out_msg + 8, relid);
    wr32(out_msg + 12, GPADL_ID);
    *(uint16_t *)(out_msg + 16) = (uint16_t)(8 + 8 * RING_PAGES);           /* range buffer length */
    *(uint16_t *)(out_msg + 18) = 1;                                         /* range count */
    wr32(out_msg + 20, RING_PAGES * 4096);                                   /* byte count */
    wr32(out_msg + 24, 0);                                                   /* byte offset */
    for (uint32_t i = 0; i < header_pfns; i++) wr64(out_msg + 28 + 8 * i, pfn0 + i);
    send_msg(out_msg, 28 + 8 * header_pfns);
    uint32_t sent = header_pfns, bodies = 0;
    while (sent < RING_PAGES) {
        uint32_t n = RING_PAGES - sent;
        if (n > (HV_MESSAGE_PAYLOAD - 16) / 8) n = (HV_MESSAGE_PAYLOAD - 16) / 8;
        memset(out_msg, 0, 16);
        wr32(out_msg, MSG_GPADL_BODY);
        wr32(out_msg + 8, ++bodies);                                         /* message number */
        wr32(out_msg + 12, GPADL_ID);
        for (uint32_t i = 0; i < n; i++) wr64(out_msg + 16 + 8 * i, pfn0 + sent + i);
        send_msg(out_msg, 16 + 8 * n);
        sent += n;
    }
    expect_msg(MSG_GPADL_CREATED, 20, 30);
    CHECK_EQ(31, rd32(msg + 8), relid);
    CHECK_EQ(32, rd32(msg + 12), GPADL_ID);
    CHECK_EQ(33, rd32(msg + 16), 0);                                         /* creation status */

    memset(out_msg, 0, 148);
    wr32(out_msg, MSG_OPENCHANNEL);
    wr32(out_msg + 8, relid);
    wr32(out_msg + 12, OPEN_ID);
    wr32(out_msg + 16, GPADL_ID);
    wr32(out_msg + 20, hv_vp_index());                                       /* target vp */
    wr32(out_msg + 24, OUT_PAGES);                                           /* downstream ring page offset */
    send_msg(out_msg, 148);
    expect_msg(MSG_OPENCHANNEL_RESULT, 20, 34);
    CHECK_EQ(35, rd32(msg + 8), relid);
    CHECK_EQ(36, rd32(msg + 12), OPEN_ID);
    CHECK_EQ(37, rd32(msg + 16), 0);                                         /* open status */
    rt_puts("gpadl of ");
    rt_putdec(RING_PAGES);
    rt_puts(" pages in 1+");
    rt_putdec(bodies);
    rt_puts(" messages ");
    rt_ok();
}

/* ---- echo packets ------------------------------------------------------------------------------- */

static uint32_t echo_len(uint32_t seq) {
    return seq % 500 == 499 ? ECHO_BIG : 1 + (seq * 97) % ECHO_MAX_SMALL;
}

static const uint8_t *echo_data(uint32_t seq) {
    return pattern + ((seq * 29) & 4095);
}

static inline uint32_t ring_used(const struct ring *r, uint32_t read, uint32_t write) {
    return write >= read ? write - read : r->size - read + write;
}

/* Copies n bytes into / out of the data area at `at`, wrapping at the end; returns the offset after. */
static uint32_t ring_put(struct ring *r, uint32_t at, const void *src, uint32_t n) {
    uint32_t first = r->size - at < n ? r->size - at : n;
    copy_bytes(r->data + at, src, first);
    if (first < n) copy_bytes(r->data, (const uint8_t *)src + first, n - first);
    at += n;
    return at >= r->size ? at - r->size : at;
}

static int ring_same(const struct ring *r, uint32_t at, const void *expect, uint32_t n) {
    uint32_t first = r->size - at < n ? r->size - at : n;
    return same_bytes(r->data + at, expect, first)
        && (first == n || same_bytes(r->data, (const uint8_t *)expect + first, n - first));
}

/* Writes request `seq` at the private write index if it fits (one byte always stays free); 0 if not. */
static int send_packet(uint32_t seq) {
    struct ring *r = &out_ring;
    uint32_t len = echo_len(seq), padded = (len + 7) & ~7u, total = 16 + padded, need = total + 8;
    uint32_t read = r->hdr->read_index;
    CHECK_VAL(40, read < r->size && !(read & 7), read);
    if (r->size - ring_used(r, read, r->index) <= need) return 0;
    uint32_t start = r->index;
    if (start + need > r->size) r->straddles++;
    wr64(r->data + start, PKT_DATA_INBAND | (uint64_t)(16 / 8) << 16 | (uint64_t)(total / 8) << 32
                          | (uint64_t)PKT_FLAG_COMPLETION_REQUESTED << 48);
    uint32_t at = start + 8 >= r->size ? start + 8 - r->size : start + 8;
    wr64(r->data + at, seq);                                                 /* transaction id */
    at = at + 8 >= r->size ? at + 8 - r->size : at + 8;
    /* Zero the last quadword first, then copy the payload over it: the bytes after it are the padding. */
    uint32_t last = at + padded - 8 >= r->size ? at + padded - 8 - r->size : at + padded - 8;
    wr64(r->data + last, 0);
    ring_put(r, at, echo_data(seq), len);
    at = last + 8 >= r->size ? last + 8 - r->size : last + 8;
    wr64(r->data + at, (uint64_t)start << 32);                               /* trailer */
    r->index = at + 8 >= r->size ? at + 8 - r->size : at + 8;
    return 1;
}

/* Publishes the written packets; signals the host if its ring was empty and its mask clear. */
static void publish(void) {
    struct ring *r = &out_ring;
    uint32_t old = r->hdr->write_index;
    if (old == r->index) return;
    r->hdr->write_index = r->index;                      /* x86 keeps the packet stores before this one */
    mfence();                                            /* write index visible before reading the reader's state */
    if (r->hdr->interrupt_mask == 0 && r->hdr->read_index == old) {
        uint32_t status = hv_signal(channel_conn_id);
        CHECK_VAL(41, status == 0, status);
    }
}

/* Checks and consumes every published completion; returns how many. */
static uint32_t drain(uint32_t next_seq, uint32_t outstanding) {
    struct ring *r = &in_ring;
    uint32_t got = 0, before = r->index;
    r->hdr->interrupt_mask = 1;
    for (;;) {
        uint32_t write = r->hdr->write_index;
        CHECK_VAL(42, write < r->size && !(write & 7), write);
        while (r->index != write) {
            uint32_t at = r->index, avail = ring_used(r, at, write);
            uint64_t d = *(volatile uint64_t *)(r->data + at);
            uint32_t type = d & 0xFFFF, offset = ((d >> 16) & 0xFFFF) * 8, total = ((d >> 32) & 0xFFFF) * 8;
            uint32_t seq = next_seq + got;
            CHECK_VAL(43, got < outstanding, seq);                            /* nothing beyond what was sent */
            CHECK_EQ(44, type, PKT_COMPLETION);
            CHECK_EQ(45, offset, 16);
            CHECK_VAL(46, total >= 16 && total + 8 <= avail, total);
            if (at + total + 8 > r->size) r->straddles++;
            uint32_t p = at + 8 >= r->size ? at + 8 - r->size : at + 8;
            CHECK_EQ(47, *(volatile uint64_t *)(r->data + p), seq);          /* transaction id */
            uint32_t len = echo_len(seq), padded = (len + 7) & ~7u;
            CHECK_EQ(48, total - offset, padded);
            p = p + 8 >= r->size ? p + 8 - r->size : p + 8;
            if (!ring_same(r, p, echo_data(seq), len)) rt_fail_value(49, "echoed payload differs, packet", seq);
            uint32_t last = p + padded - 8 >= r->size ? p + padded - 8 - r->size : p + padded - 8;
            if (len & 7) {                                                   /* padding bytes are zero */
                uint64_t q = *(volatile uint64_t *)(r->data + last);
                CHECK_VAL(50, (q >> (8 * (len & 7))) == 0, seq);
            }
            uint32_t t = last + 8 >= r->size ? last + 8 - r->size : last + 8;
            CHECK_EQ(51, *(volatile uint64_t *)(r->data + t), (uint64_t)at << 32);   /* trailer */
            r->index = t + 8 >= r->size ? t + 8 - r->size : t + 8;
            got++;
        }
        if (got == 0 && r->index == before) {
            r->hdr->interrupt_mask = 0;
            mfence();
            if (r->hdr->write_index == r->index) return 0;
            r->hdr->interrupt_mask = 1;
            continue;
        }
        /* Publish the read index, then honour the writer's pending send size. */
        uint32_t old_read = r->hdr->read_index;
        r->hdr->read_index = r->index;
        mfence();
        uint32_t pending = r->hdr->pending_send_sz;
        if (pending) {
            uint32_t w = r->hdr->write_index;
            if (r->size - ring_used(r, old_read, w) <= pending && r->size - ring_used(r, r->index, w) > pending) {
                reader_pending_signals++;
                uint32_t status = hv_signal(channel_conn_id);
                CHECK_VAL(52, status == 0, status);
            }
        }
        r->hdr->interrupt_mask = 0;
        mfence();
        if (r->hdr->write_index == r->index) return got;
        r->hdr->interrupt_mask = 1;
    }
}

static void echo(void) {
    rt_section("echo");
    for (uint32_t i = 0; i < sizeof pattern; i++) pattern[i] = (uint8_t)(i * 131 + (i >> 8) * 7 + 1);
    rt_puts("start\n");
    uint32_t sent = 0, done = 0, next_report = 1000;
    while (done < ECHO_PACKETS) {
        int blocked = 0;
        uint32_t sent_before = sent;
        while (sent < ECHO_PACKETS && sent - done < ECHO_WINDOW) {
            if (!send_packet(sent)) {
                blocked = 1;
                break;
            }
            sent++;
        }
        publish();
        hv_take_event(relid);                      /* a signal that arrives from here on is handled by the ring check */
        uint32_t got = drain(done, sent - done);
        done += got;
        if (done >= next_report) {
            rt_puts("[echo] ");
            rt_putdec(done);
            rt_putc('\n');
            next_report += 1000;
        }
        if (got || sent != sent_before) continue;
        if (blocked) {
            /* Ring full: ask the host to signal when enough space is free, then re-check before halting. */
            uint32_t need = 16 + ((echo_len(sent) + 7) & ~7u) + 8;   /* send_packet needs free > need */
            out_ring.hdr->pending_send_sz = need;
            mfence();
            uint32_t read = out_ring.hdr->read_index;
            if (out_ring.size - ring_used(&out_ring, read, out_ring.index) > need) {
                out_ring.hdr->pending_send_sz = 0;
                continue;
            }
            writer_pending_waits++;
        } else {
            window_waits++;
        }
        /* drain() left the interrupt mask clear and the ring empty (checked after a fence): wait. */
        if (in_ring.hdr->write_index == in_ring.index) hv_wait_interrupt();
        out_ring.hdr->pending_send_sz = 0;
    }
    CHECK_VAL(53, out_ring.straddles > 0, out_ring.straddles);
    CHECK_VAL(54, in_ring.straddles > 0, in_ring.straddles);
    rt_puts("[echo] done ");
    rt_putdec(done);
    rt_puts(" packets; straddling out ");
    rt_putdec(out_ring.straddles);
    rt_puts(" in ");
    rt_putdec(in_ring.straddles);
    rt_putc(' ');
    rt_ok();
}

/* ---- close -------------------------------------------------------------------------------------- */

static void close_all(void) {
    rt_section("close");
    memset(out_msg, 0, 16);
    wr32(out_msg, MSG_CLOSECHANNEL);
    wr32(out_msg + 8, relid);
    send_msg(out_msg, 12);
    memset(out_msg, 0, 16);
    wr32(out_msg, MSG_GPADL_TEARDOWN);
    wr32(out_msg + 8, relid);
    wr32(out_msg + 12, GPADL_ID);
    send_msg(out_msg, 16);
    expect_msg(MSG_GPADL_TORNDOWN, 12, 60);
    CHECK_EQ(61, rd32(msg + 8), GPADL_ID);
    memset(out_msg, 0, 8);
    wr32(out_msg, MSG_UNLOAD);
    send_msg(out_msg, 8);
    expect_msg(MSG_UNLOAD_RESPONSE, 8, 62);
    rt_ok();
}

int guest_main(void) {
    hv_init();
    contact();
    offers();
    open_channel();
    echo();
    close_all();
    rt_puts("[stats] hypercalls ");
    rt_putdec(hv_stats.hypercalls);
    rt_puts(" signals ");
    rt_putdec(hv_stats.signals);
    rt_puts(" interrupts ");
    rt_putdec(hv_stats.interrupts);
    rt_puts(" halts ");
    rt_putdec(hv_stats.halts);
    rt_puts(" eoms ");
    rt_putdec(hv_stats.eoms);
    rt_puts(" writer-pending-waits ");
    rt_putdec(writer_pending_waits);
    rt_puts(" reader-pending-signals ");
    rt_putdec(reader_pending_signals);
    rt_puts(" window-waits ");
    rt_putdec(window_waits);
    rt_putc('\n');
    return 0;
}
