package dev.partita.hv.cpuid;

/** The output registers of CPUID. */
public enum CpuidRegister { EAX, EBX, ECX, EDX }
