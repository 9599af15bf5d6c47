/* Hyper-V guest interface of the vmbus-echo guest (see hv.h). Checks 1-15. */
#include "rt.h"
#include "x86.h"
#include "hv.h"

#define LAPIC_BASE 0xFEE00000ull
#define LAPIC_EOI  0x0B0
#define LAPIC_SVR  0x0F0

static uint8_t hypercall_page[4096] __attribute__((aligned(4096)));
static uint8_t message_page[4096] __attribute__((aligned(4096)));
static uint8_t event_page[4096] __attribute__((aligned(4096)));
static uint8_t post_input[4096] __attribute__((aligned(4096)));
static uint32_t vp_index;
struct hv_stats hv_stats;

/* Near call into the page Partita filled; the page may clobber RAX, RCX, RDX, R8-R11 and flags. */
static uint64_t hv_call(uint64_t control, uint64_t input, uint64_t output) {
    uint64_t rax = (uint64_t)(uintptr_t)hypercall_page;
    register uint64_t r8 __asm__("r8") = output;
    __asm__ volatile("call *%%rax"
                     : "+a"(rax), "+c"(control), "+d"(input), "+r"(r8)
                     :
                     : "r9", "r10", "r11", "cc", "memory");
    hv_stats.hypercalls++;
    return rax;
}

static void on_sint(struct rt_frame *f) {
    (void)f;
    hv_stats.interrupts++;
    mmio_write32(LAPIC_BASE + LAPIC_EOI, 0);
}

void hv_init(void) {
    uint32_t r[4];
    rt_section("hyperv");
    cpuid(1, 0, r);
    CHECK_VAL(1, (r[2] >> 31) & 1, r[2]);                                  /* hypervisor present */
    cpuid(HV_CPUID_VENDOR, 0, r);
    CHECK_VAL(2, r[0] >= 0x40000005u && r[0] <= 0x4000FFFFu, r[0]);
    CHECK(3, r[1] == 0x7263694Du && r[2] == 0x666F736Fu && r[3] == 0x76482074u);   /* "Microsoft Hv" */
    cpuid(HV_CPUID_FEATURES, 0, r);
    uint32_t need_a = HV_FEAT_EAX_SYNIC | HV_FEAT_EAX_HYPERCALL | HV_FEAT_EAX_VP_INDEX;
    uint32_t need_b = HV_FEAT_EBX_POST_MESSAGES | HV_FEAT_EBX_SIGNAL_EVENTS;
    CHECK_VAL(4, (r[0] & need_a) == need_a, r[0]);
    CHECK_VAL(5, (r[1] & need_b) == need_b, r[1]);

    /* Open-source OS id (bit 63), OS type 0x7F "other", build 1: any non-zero value enables hypercalls. */
    wrmsr(HV_MSR_GUEST_OS_ID, (1ull << 63) | (0x7Full << 56) | 1);
    CHECK(6, rdmsr(HV_MSR_GUEST_OS_ID) != 0);
    wrmsr(HV_MSR_HYPERCALL, (uint64_t)(uintptr_t)hypercall_page | 1);
    uint64_t hc = rdmsr(HV_MSR_HYPERCALL);
    CHECK_VAL(7, (hc & 1) && (hc & ~0xFFFull) == (uint64_t)(uintptr_t)hypercall_page, hc);
    CHECK_VAL(8, hypercall_page[0] != 0 && hypercall_page[4095] != 0, hypercall_page[0]);   /* the root filled it */
    vp_index = (uint32_t)rdmsr(HV_MSR_VP_INDEX);
    CHECK_VAL(9, vp_index < 64, vp_index);

    uint64_t apic = rdmsr(MSR_APIC_BASE);
    CHECK_VAL(10, (apic & ~0xFFFull) == LAPIC_BASE && (apic & (1u << 11)), apic);
    mmio_write32(LAPIC_BASE + LAPIC_SVR, 0x1FF);                             /* enable, spurious vector 0xFF */
    rt_set_handler(HV_SINT_VECTOR, on_sint, 0);

    wrmsr(HV_MSR_SIMP, (uint64_t)(uintptr_t)message_page | 1);
    wrmsr(HV_MSR_SIEFP, (uint64_t)(uintptr_t)event_page | 1);
    wrmsr(HV_MSR_SINT0 + HV_SINT_VMBUS, HV_SINT_VECTOR);                    /* not masked, no auto-EOI */
    wrmsr(HV_MSR_SCONTROL, 1);
    CHECK_EQ(11, rdmsr(HV_MSR_SIMP), (uint64_t)(uintptr_t)message_page | 1);
    CHECK_EQ(12, rdmsr(HV_MSR_SIEFP), (uint64_t)(uintptr_t)event_page | 1);
    CHECK_EQ(13, rdmsr(HV_MSR_SINT0 + HV_SINT_VMBUS) & 0x3FFFF, HV_SINT_VECTOR);
    CHECK_EQ(14, rdmsr(HV_MSR_SCONTROL) & 1, 1);
    rt_puts("vp ");
    rt_putdec(vp_index);
    rt_putc(' ');
    rt_ok();
}

uint32_t hv_vp_index(void) {
    return vp_index;
}

void hv_post(uint32_t connection, const void *msg, uint32_t size) {
    volatile uint32_t *in = (volatile uint32_t *)post_input;
    in[0] = connection;
    in[1] = 0;
    in[2] = HV_MESSAGE_TYPE_VMBUS;
    in[3] = size;
    memcpy(post_input + 16, msg, size);
    for (int attempt = 0;; attempt++) {
        uint32_t status = (uint32_t)hv_call(HV_CALL_POST_MESSAGE, (uint64_t)(uintptr_t)post_input, 0) & 0xFFFF;
        if (status == 0) return;
        CHECK_VAL(15, status == HV_STATUS_INSUFFICIENT_BUFFERS && attempt < 1000, status);
    }
}

uint32_t hv_signal(uint32_t connection) {
    hv_stats.signals++;
    return (uint32_t)hv_call(HV_CALL_SIGNAL_EVENT | HV_CALL_FAST, connection, 0) & 0xFFFF;
}

void hv_wait_interrupt(void) {
    hv_stats.halts++;
    sti_hlt();
    cli();
}

uint32_t hv_receive(uint8_t *buf) {
    struct hv_message *slot = (struct hv_message *)(message_page + HV_SINT_VMBUS * HV_MESSAGE_SIZE);
    while (slot->type == 0) hv_wait_interrupt();
    uint32_t size = slot->size;
    if (size > HV_MESSAGE_PAYLOAD) size = HV_MESSAGE_PAYLOAD;
    memcpy(buf, slot->payload, size);
    slot->type = 0;
    __asm__ volatile("mfence" ::: "memory");        /* type cleared before the pending flag is read */
    if (slot->flags & 1) {
        hv_stats.eoms++;
        wrmsr(HV_MSR_EOM, 0);
    }
    return size;
}

int hv_take_event(uint32_t flag) {
    volatile uint64_t *word = (volatile uint64_t *)(event_page + HV_SINT_VMBUS * 256) + flag / 64;
    uint64_t bit = 1ull << (flag % 64);
    if (!(*word & bit)) return 0;
    return (__atomic_fetch_and(word, ~bit, __ATOMIC_SEQ_CST) & bit) != 0;
}
