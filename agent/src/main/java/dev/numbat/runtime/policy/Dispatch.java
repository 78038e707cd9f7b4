package dev.numbat.runtime.policy;

import java.lang.invoke.MethodHandle;

/** Where the policy sends one method's calls: the agent's dispatch of it (its stub's two call sites). */
public interface Dispatch {
    /** Calls run {@code handle}, of the method's own type, from now on. */
    void route(MethodHandle handle);

    /** Calls run the method's original bytecode from now on, with nothing in between. */
    void bytecode();
}
