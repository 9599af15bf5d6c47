/*
 * The Hyper-V guest interface as the vmbus-echo guest uses it: CPUID leaves, synthetic MSRs, the
 * hypercall page (near call; RCX control, RDX input, R8 output, status in RAX low 16 bits), and the
 * SynIC message slot / event flags of SINT2. Facts from the TLFS and docs/hyperv-guest-interface.md.
 */
#ifndef VMBUS_ECHO_HV_H
#define VMBUS_ECHO_HV_H

#include <stdint.h>

#define HV_CPUID_VENDOR   0x40000000u
#define HV_CPUID_FEATURES 0x40000003u
#define HV_CPUID_HINTS    0x40000004u

#define HV_FEAT_EAX_SYNIC     (1u << 2)   /* SynIC MSRs */
#define HV_FEAT_EAX_HYPERCALL (1u << 5)   /* HYPERCALL and GUEST_OS_ID MSRs */
#define HV_FEAT_EAX_VP_INDEX  (1u << 6)
#define HV_FEAT_EBX_POST_MESSAGES (1u << 4)
#define HV_FEAT_EBX_SIGNAL_EVENTS (1u << 5)

#define HV_MSR_GUEST_OS_ID 0x40000000u
#define HV_MSR_HYPERCALL   0x40000001u
#define HV_MSR_VP_INDEX    0x40000002u
#define HV_MSR_SCONTROL    0x40000080u
#define HV_MSR_SIEFP       0x40000082u
#define HV_MSR_SIMP        0x40000083u
#define HV_MSR_EOM         0x40000084u
#define HV_MSR_SINT0       0x40000090u

#define HV_CALL_POST_MESSAGE 0x5Cu        /* HVCALL_POST_MESSAGE */
#define HV_CALL_SIGNAL_EVENT 0x5Du        /* HVCALL_SIGNAL_EVENT */
#define HV_CALL_FAST         (1u << 16)
#define HV_STATUS_INSUFFICIENT_BUFFERS 0x13u

#define HV_SINT_VMBUS   2
#define HV_SINT_VECTOR  0xF3              /* HYPERVISOR_CALLBACK_VECTOR */
#define HV_MESSAGE_SIZE 256
#define HV_MESSAGE_PAYLOAD 240
#define HV_MESSAGE_TYPE_VMBUS 1

/* One 256-byte SynIC message slot. */
struct hv_message {
    volatile uint32_t type;               /* 0 = slot empty */
    volatile uint8_t size;                /* payload bytes */
    volatile uint8_t flags;               /* bit 0: message pending behind this one */
    uint16_t reserved;
    uint64_t sender;
    uint8_t payload[HV_MESSAGE_PAYLOAD];
};

/* Counters the test prints at the end. */
struct hv_stats {
    uint32_t hypercalls, signals, interrupts, halts, eoms;
};
extern struct hv_stats hv_stats;

/* CPUID, MSRs, hypercall page, SynIC SINT2 on vector 0xF3 with an IDT handler that EOIs; checks 1-14. */
void hv_init(void);
/* The boot processor's VP_INDEX (read during hv_init). */
uint32_t hv_vp_index(void);
/* HvPostMessage of a VMBus message on `connection`; retries while the host has no buffers. Check 15. */
void hv_post(uint32_t connection, const void *msg, uint32_t size);
/* Fast HvSignalEvent(connection, flag 0); returns the HV status. */
uint32_t hv_signal(uint32_t connection);
/* Waits (STI;HLT) for the next message in SINT2's slot, copies it to buf (240 bytes), frees the slot
 * (EOM when the pending flag is set). Returns the payload size. Called with IF=0. */
uint32_t hv_receive(uint8_t *buf);
/* Atomically clears and returns whether event flag `flag` of SINT2 was set. */
int hv_take_event(uint32_t flag);
/* One STI;HLT: returns after an interrupt was handled, with IF=0 again. */
void hv_wait_interrupt(void);

#endif
