"""Child of mem_start.py: upload FILE to the simulator at EQP_URL through sellkit, print the
peak RSS (VmHWM) before and after as JSON. Usage: upload_child.py EQP_URL APP_ID APP_SECRET FILE"""

import json
import sys

from sellkit.eqp import Client


def hwm_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM")


url, app_id, secret, path = sys.argv[1:5]
with Client(app_id=app_id, app_secret=secret, base_url=url, upload_timeout=600) as c:
    c.users.get()  # runtime, connection and token in place: the baseline is a working client
    before = hwm_kib()
    result = c.files.upload([path])
    after = hwm_kib()
print(json.dumps({"before_kib": before, "after_kib": after, "result": result[0] if isinstance(result, list) else result}, default=str))
