package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The assembled distribution boots with every kiscsi bundle active and every component satisfied. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformIT extends KiscsiTestSupport {
    /** Bundles the "kiscsi" feature must bring up; grows with every concern added. */
    static final String[] EXPECTED_BUNDLES = {"org.kiscsi.api", "org.kiscsi.mgmt", "org.kiscsi.store.memory", "org.kiscsi.store.file", "org.kiscsi.scsi", "org.kiscsi.iscsid",
            "org.kiscsi.protocol", "org.kiscsi.transport.tcp", "org.kiscsi.engine", "org.kiscsi.auth.chap",
            "org.kiscsi.discovery.sendtargets", "org.kiscsi.discovery.isns", "org.kiscsi.lun.tools", "org.kiscsi.shell",
            "org.kiscsi.export.nbd"};

    @Inject
    ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return baseConfiguration();
    }

    @Test
    public void everyKiscsiBundleIsActive() throws Exception {
        for (String bsn : EXPECTED_BUNDLES) {
            Bundle b = bundle(bsn);
            assertTrue("bundle " + bsn + " is not installed", b != null);
            assertTrue("bundle " + bsn + " is not active", waitFor(() -> b.getState() == Bundle.ACTIVE, 30_000));
        }
        for (Bundle b : kiscsiBundles()) {
            assertEquals("bundle " + b.getSymbolicName() + " state", Bundle.ACTIVE, b.getState());
        }
    }

    @Test
    public void everyKiscsiComponentIsSatisfied() throws Exception {
        List<String> problems = new ArrayList<>();
        int components = 0;
        for (Bundle b : kiscsiBundles()) {
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                components++;
                if (!scr.isComponentEnabled(d)) {
                    problems.add(d.name + " is disabled");
                    continue;
                }
                boolean ok = waitFor(() -> {
                    var cs = scr.getComponentConfigurationDTOs(d);
                    return !cs.isEmpty() && cs.stream().allMatch(c -> c.state == ComponentConfigurationDTO.SATISFIED
                            || c.state == ComponentConfigurationDTO.ACTIVE);
                }, 30_000);
                if (!ok) {
                    for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                        problems.add(d.name + " state " + c.state + " unsatisfied references "
                                + java.util.Arrays.stream(c.unsatisfiedReferences).map(r -> r.name).toList());
                    }
                }
            }
        }
        assertTrue(problems.toString(), problems.isEmpty());
        assertFalse("no kiscsi components were found", components == 0);
    }
}
