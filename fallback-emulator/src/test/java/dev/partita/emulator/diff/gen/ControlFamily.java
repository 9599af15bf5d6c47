package dev.partita.emulator.diff.gen;

import dev.partita.emulator.diff.asm.Operand.Imm;
import dev.partita.emulator.diff.asm.Operand.Literal;
import dev.partita.emulator.diff.asm.Operand.Mem;
import dev.partita.emulator.diff.asm.Operand.Reg;

/**
 * Control transfers that stay inside the case's code: LOOP/LOOPE/LOOPNE/JRCXZ and JMP rel8/rel32
 * forward over a marker MOV (whose effect shows whether the branch was taken), CALL rel32 to the
 * next instruction followed by POP (the pushed return address), an indirect JMP through a register
 * loaded with LEA [rip+n], and RET / RET imm16 to such an address pushed first.
 */
final class ControlFamily implements Family {

    @Override
    public String name() {
        return "control";
    }

    @Override
    public void emit(GenContext g) {
        int which = g.rng.nextInt(6);
        if (which >= 3 && g.rspIsPointer()) {
            which = g.rng.nextInt(3);
        }
        switch (which) {
            case 0 -> loops(g);
            case 1 -> jumpOver(g);
            case 2 -> indirectJump(g);
            case 3 -> callPop(g);
            default -> pushRet(g, which == 5);
        }
    }

    /** The skipped marker: mov r32, imm32 (5 bytes, 6 with REX). */
    private static void marker(GenContext g, Reg r) {
        long imm = g.rng.nextInt();
        g.asm.op("mov", 0xB8).plus(r).imm(imm, 4).show(r, Emit.imm(imm, 4, 4)).emit();
    }

    private static int markerLen(Reg r) {
        return r.num() >= 8 ? 6 : 5;
    }

    private static void loops(GenContext g) {
        g.reserve(1);
        Reg m = g.pickReg(4);
        int kind = g.rng.nextInt(4);
        String[] names = {"loopne", "loope", "loop", "jrcxz"};
        long count = switch (g.rng.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> g.rng.nextInt(2, 100);
            default -> g.rng.nextLong();
        };
        g.set(1, count);
        int skip = markerLen(m);
        g.asm.op(names[kind], 0xE0 + kind).imm(skip, 1).show(new Literal(".+" + (2 + skip))).emit();
        marker(g, m);
        g.form(names[kind] + " rel8");
        g.flagOp(kind < 2 ? Emit.ZF : 0, 0, 0);
    }

    private static void jumpOver(GenContext g) {
        Reg m = g.pickReg(4);
        int skip = markerLen(m);
        if (g.rng.nextBoolean()) {
            g.asm.op("jmp", 0xEB).imm(skip, 1).show(new Literal(".+" + (2 + skip))).emit();
            g.form("jmp rel8");
        } else {
            g.asm.op("jmp", 0xE9).imm(skip, 4).show(new Literal(".+" + (5 + skip))).emit();
            g.form("jmp rel32");
        }
        marker(g, m);
        g.flagOp(0, 0, 0);
    }

    /** lea t, [rip+k]; jmp t; marker — lands after the marker. */
    private static void indirectJump(GenContext g) {
        Reg t = g.pickReg(8);
        Reg m = g.pickReg(4, GenContext.maskOf(t));
        int jmpLen = t.num() >= 8 ? 3 : 2;
        long target = g.asm.pc() + 7 + jmpLen + markerLen(m);
        g.asm.op("lea", 0x8D).w().reg(t).rm(Mem.ripTo(target, 0)).show(t, Mem.ripTo(target, 0)).emit();
        g.asm.op("jmp", 0xFF).ext(4).rm(t).show(t).emit();
        marker(g, m);
        g.form("jmp r64");
        g.flagOp(0, 0, 0);
    }

    /** call .+5; pop r — r receives the address of the POP. */
    private static void callPop(GenContext g) {
        g.useStack();
        Reg r = g.pickReg(8);
        g.asm.op("call", 0xE8).imm(0, 4).show(new Literal(".+5")).emit();
        g.asm.op("pop", 0x58).plus(r).show(r).emit();
        g.form("call rel32");
        g.flagOp(0, 0, 0);
    }

    /** lea t, [rip+k]; push t; ret [imm16]; marker — returns past the marker. */
    private static void pushRet(GenContext g, boolean withImm) {
        g.useStack();
        Reg t = g.pickReg(8);
        Reg m = g.pickReg(4, GenContext.maskOf(t));
        int pushLen = t.num() >= 8 ? 2 : 1;
        int retLen = withImm ? 3 : 1;
        long target = g.asm.pc() + 7 + pushLen + retLen + markerLen(m);
        g.asm.op("lea", 0x8D).w().reg(t).rm(Mem.ripTo(target, 0)).show(t, Mem.ripTo(target, 0)).emit();
        g.asm.op("push", 0x50).plus(t).show(t).emit();
        if (withImm) {
            int imm = 8 * g.rng.nextInt(0, 4);
            g.asm.op("ret", 0xC2).imm(imm, 2).show(new Imm(imm)).emit();
            g.form("ret imm16");
        } else {
            g.asm.op("ret", 0xC3).emit();
            g.form("ret");
        }
        marker(g, m);
        g.flagOp(0, 0, 0);
    }
}
