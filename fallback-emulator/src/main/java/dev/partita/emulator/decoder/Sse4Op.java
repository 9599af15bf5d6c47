package dev.partita.emulator.decoder;

/** Sub-operations of {@link Ops#SSE4}: the SSE4.1 and SSE4.2 instructions the emulator implements. */
public final class Sse4Op {
    private Sse4Op() {
    }

    public static final int PBLENDVB = 0;
    public static final int BLENDVPS = 1;
    public static final int BLENDVPD = 2;
    public static final int PTEST = 3;
    public static final int PMOVSXBW = 4;
    public static final int PMOVSXBD = 5;
    public static final int PMOVSXBQ = 6;
    public static final int PMOVSXWD = 7;
    public static final int PMOVSXWQ = 8;
    public static final int PMOVSXDQ = 9;
    public static final int PMULDQ = 10;
    public static final int PCMPEQQ = 11;
    public static final int MOVNTDQA = 12;
    public static final int PACKUSDW = 13;
    public static final int PMOVZXBW = 14;
    public static final int PMOVZXBD = 15;
    public static final int PMOVZXBQ = 16;
    public static final int PMOVZXWD = 17;
    public static final int PMOVZXWQ = 18;
    public static final int PMOVZXDQ = 19;
    public static final int PCMPGTQ = 20;
    public static final int PMINSB = 21;
    public static final int PMINSD = 22;
    public static final int PMINUW = 23;
    public static final int PMINUD = 24;
    public static final int PMAXSB = 25;
    public static final int PMAXSD = 26;
    public static final int PMAXUW = 27;
    public static final int PMAXUD = 28;
    public static final int PMULLD = 29;
    public static final int PHMINPOSUW = 30;
    public static final int ROUNDPS = 31;
    public static final int ROUNDPD = 32;
    public static final int ROUNDSS = 33;
    public static final int ROUNDSD = 34;
    public static final int BLENDPS = 35;
    public static final int BLENDPD = 36;
    public static final int PBLENDW = 37;
    public static final int PEXTRB = 38;
    public static final int PEXTRW_M = 39;
    public static final int PEXTRD = 40;
    public static final int EXTRACTPS = 41;
    public static final int PINSRB = 42;
    public static final int INSERTPS = 43;
    public static final int PINSRD = 44;
    public static final int PCMPESTRM = 45;
    public static final int PCMPESTRI = 46;
    public static final int PCMPISTRM = 47;
    public static final int PCMPISTRI = 48;
    public static final int CRC32_B = 49;
    public static final int CRC32_V = 50;

    public static final int COUNT = 51;
}
