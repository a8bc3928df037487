<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
  <context>
    <name>actions</name>
    <message>
      <location filename="../../ui/action_dialog.py" line="150" />
      <source>确定</source>
      <translation>OK</translation>
    </message>
    <message>
      <location filename="../../ui/action_dialog.py" line="151" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="207" />
      <source>新增</source>
      <translation>Create</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="208" />
      <source>修改</source>
      <translation>Update</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="209" />
      <source>删除</source>
      <translation>Delete</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="210" />
      <source>结束</source>
      <translation>End</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="211" />
      <source>退出</source>
      <translation>Exit</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="212" />
      <source>修改设置</source>
      <translation>Change settings</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="213" />
      <source>导出完整身份证号</source>
      <translation>Export full resident IDs</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="214" />
      <source>建立台账</source>
      <translation>Ledger created</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="215" />
      <source>导入表格</source>
      <translation>Spreadsheet import</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="216" />
      <source>添加经办人</source>
      <translation>Officer added</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="217" />
      <source>经办人改名</source>
      <translation>Officer renamed</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="218" />
      <source>经办人离任</source>
      <translation>Officer retired</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="219" />
      <source>变更阶段</source>
      <translation>Stage changed</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="220" />
      <source>恢复备份</source>
      <translation>Backup restored</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="221" />
      <source>重新纳入</source>
      <translation>Re-entered</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="222" />
      <source>离任</source>
      <translation>Left post</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="223" />
      <source>办结</source>
      <translation>Closed</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="224" />
      <source>恢复备份后续接</source>
      <translation>Continued after a restore</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="225" />
      <source>（他处记录，仅存摘要）</source>
      <translation>(kept elsewhere; hash only)</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="226" />
      <source>冲突：保留本机值</source>
      <translation>Conflict: kept this value</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="227" />
      <source>冲突：改用对方的值</source>
      <translation>Conflict: took the other value</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="228" />
      <source>冲突：已核实</source>
      <translation>Conflict: checked</translation>
    </message>
  </context>
  <context>
    <name>app</name>
    <message>
      <location filename="../../ui/app.py" line="166" />
      <source>正在生成演示数据（一个乡镇）……</source>
      <translation>Generating demo data (one township)…</translation>
    </message>
  </context>
  <context>
    <name>audit</name>
    <message>
      <location filename="../../ui/pages/audit.py" line="110" />
      <source>正在校验……</source>
      <translation>Verifying…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/audit.py" line="122" />
      <source>正在校验审计链……</source>
      <translation>Verifying the audit chain…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/audit.py" line="131" />
      <source>校验已取消。</source>
      <translation>Verification cancelled.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/audit.py" line="137" />
      <source>审计链完整：共 {n} 条记录，{c} 个节点，未发现删改。</source>
      <translation>The audit chain is intact: {n} entries, {c} node(s), nothing altered or removed.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/audit.py" line="156" />
      <source>未发现异常。</source>
      <translation>No anomalies found.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/audit.py" line="156" />
      <source>共发现 {n} 条异常（双击打开所涉及的记录）。</source>
      <translation>{n} anomalies found (double-click to open the record concerned).</translation>
    </message>
    <message>
      <location filename="../../ui/pages/audit.py" line="54" />
      <source>按日期</source>
      <translation>By date</translation>
    </message>
    <message>
      <location filename="../../ui/pages/audit.py" line="62" />
      <source>校验审计链</source>
      <translation>Verify audit chain</translation>
    </message>
    <message>
      <location filename="../../ui/pages/audit.py" line="65" />
      <source>审计记录逐条哈希链接，任何删改都会被发现。</source>
      <translation>Audit entries are hash-chained: any edit or removal is detected.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/audit.py" line="70" />
      <source>从</source>
      <translation>From</translation>
    </message>
    <message>
      <location filename="../../ui/pages/audit.py" line="72" />
      <source>到</source>
      <translation>to</translation>
    </message>
    <message>
      <location filename="../../ui/pages/audit.py" line="80" />
      <source>审计记录</source>
      <translation>Audit trail</translation>
    </message>
    <message>
      <location filename="../../ui/pages/audit.py" line="85" />
      <source>问题</source>
      <translation>Problem</translation>
    </message>
    <message>
      <location filename="../../ui/pages/audit.py" line="85" />
      <source>对象</source>
      <translation>Object</translation>
    </message>
    <message>
      <location filename="../../ui/pages/audit.py" line="85" />
      <source>说明</source>
      <translation>Note</translation>
    </message>
    <message>
      <location filename="../../ui/pages/audit.py" line="90" />
      <source>双击打开所涉及的农户、干部或项目</source>
      <translation>Double-click to open the household, cadre or project concerned</translation>
    </message>
    <message>
      <location filename="../../ui/pages/audit.py" line="97" />
      <source>异常情况</source>
      <translation>Anomalies</translation>
    </message>
  </context>
  <context>
    <name>columns</name>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="115" />
      <source>说明</source>
      <translation>Note</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="586" />
      <source>家庭可支配收入（元）</source>
      <translation>Household disposable income (yuan)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="587" />
      <source>计算人口</source>
      <translation>Persons covered</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="588" />
      <source>上年家庭可支配收入（元）</source>
      <translation>Previous year's household income (yuan)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="589" />
      <source>上年计算人口</source>
      <translation>Previous year's persons</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="100" />
      <source>项目名称</source>
      <translation>Project</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="101" />
      <source>完成比例</source>
      <translation>Percent complete</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="102" />
      <source>走访对象</source>
      <translation>Visited</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="103" />
      <source>享受日期</source>
      <translation>Date</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="104" />
      <source>实施单位</source>
      <translation>Provider</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="105" />
      <source>政策/措施类别</source>
      <translation>Kind</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="20" />
      <source>户主姓名</source>
      <translation>Head of household</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="21" />
      <source>身份证号</source>
      <translation>Resident ID</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="23" />
      <source>行政村</source>
      <translation>Village</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="24" />
      <source>自然村</source>
      <translation>Natural village</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="25" />
      <source>类别</source>
      <translation>Category</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="26" />
      <source>主要致贫原因</source>
      <translation>Main cause</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="27" />
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="28" />
      <source>人口</source>
      <translation>Members</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="29" />
      <source>结对干部</source>
      <translation>Paired cadre</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="30" />
      <source>最近走访</source>
      <translation>Last visit</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="31" />
      <source>电话</source>
      <translation>Phone</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="32" />
      <source>登记日期</source>
      <translation>Registered</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="33" />
      <source>名称</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="34" />
      <source>区划代码</source>
      <translation>Division code</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="35" />
      <source>级别</source>
      <translation>Level</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="36" />
      <source>上级</source>
      <translation>Parent</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="37" />
      <source>重点村</source>
      <translation>Key village</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="38" />
      <source>集体经济收入（元）</source>
      <translation>Collective income (yuan)</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="39" />
      <source>结对部门</source>
      <translation>Paired departments</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="40" />
      <source>联系领导</source>
      <translation>Leader</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="41" />
      <source>在册农户</source>
      <translation>Active households</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="42" />
      <source>类型</source>
      <translation>Kind</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="43" />
      <source>在岗干部</source>
      <translation>Serving cadres</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="44" />
      <source>结对村</source>
      <translation>Paired villages</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="45" />
      <source>所在单位</source>
      <translation>Department</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="46" />
      <source>职务</source>
      <translation>Post</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="47" />
      <source>领导</source>
      <translation>Leader</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="48" />
      <source>结对户数</source>
      <translation>Households</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="49" />
      <source>统一社会信用代码</source>
      <translation>Credit code</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="50" />
      <source>联系人</source>
      <translation>Contact</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="51" />
      <source>所在地</source>
      <translation>Place</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="52" />
      <source>家乡村</source>
      <translation>Home village</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="53" />
      <source>帮扶对象</source>
      <translation>Subject</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="54" />
      <source>帮扶方</source>
      <translation>Helper</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="55" />
      <source>开始日期</source>
      <translation>Start</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="56" />
      <source>结束日期</source>
      <translation>End</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="57" />
      <source>结束原因</source>
      <translation>End reason</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="58" />
      <source>结束说明</source>
      <translation>End note</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="59" />
      <source>走访日期</source>
      <translation>Visit date</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="60" />
      <source>方式</source>
      <translation>Mode</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="61" />
      <source>存在问题</source>
      <translation>Findings</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="62" />
      <source>帮扶措施</source>
      <translation>Measures</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="63" />
      <source>待办事项</source>
      <translation>Follow-up</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="64" />
      <source>办理期限</source>
      <translation>Due</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="65" />
      <source>办结日期</source>
      <translation>Closed on</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="66" />
      <source>阶段</source>
      <translation>Stage</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="67" />
      <source>年度</source>
      <translation>Year</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="68" />
      <source>实施地点</source>
      <translation>Place</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="69" />
      <source>资金来源</source>
      <translation>Fund source</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="70" />
      <source>预算（元）</source>
      <translation>Budget (yuan)</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="71" />
      <source>已拨付（元）</source>
      <translation>Allocated (yuan)</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="72" />
      <source>已支出（元）</source>
      <translation>Disbursed (yuan)</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="73" />
      <source>进度</source>
      <translation>Progress</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="74" />
      <source>计划完成</source>
      <translation>Planned end</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="75" />
      <source>备案日期</source>
      <translation>Filed on</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="76" />
      <source>逾期</source>
      <translation>Overdue</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="77" />
      <source>超预算</source>
      <translation>Over budget</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="78" />
      <source>与户主关系</source>
      <translation>Relation</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="79" />
      <source>出生日期</source>
      <translation>Born</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="80" />
      <source>健康状况</source>
      <translation>Health</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="81" />
      <source>劳动能力</source>
      <translation>Labour</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="82" />
      <source>就业情况</source>
      <translation>Employment</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="83" />
      <source>在校情况</source>
      <translation>Schooling</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="84" />
      <source>责任医生签约</source>
      <translation>Family doctor</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="85" />
      <source>经营性收入（元）</source>
      <translation>Operating income (yuan)</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="86" />
      <source>备注</source>
      <translation>Note</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="87" />
      <source>日期</source>
      <translation>Date</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="88" />
      <source>金额（元）</source>
      <translation>Amount (yuan)</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="89" />
      <source>序号</source>
      <translation>Seq</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="90" />
      <source>时间</source>
      <translation>Time</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="91" />
      <source>操作人</source>
      <translation>User</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="92" />
      <source>操作</source>
      <translation>Action</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="93" />
      <source>对象</source>
      <translation>Object</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="94" />
      <source>对象编号</source>
      <translation>Object id</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="95" />
      <source>节点</source>
      <translation>Node</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="96" />
      <source>姓名</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="99" />
      <source>村/乡镇</source>
      <translation>Village/township</translation>
    </message>
    <message>
      <location filename="../../ui/table_model.py" line="53" />
      <source>未填</source>
      <translation>Not recorded</translation>
    </message>
    <message>
      <location filename="../../ui/table_model.py" line="77" />
      <source>是</source>
      <translation>Yes</translation>
    </message>
  </context>
  <context>
    <name>dashboard</name>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="110" />
      <source>个</source>
      <translation> </translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="111" />
      <source>户</source>
      <translation>households</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="112" />
      <source>人</source>
      <translation>people</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="113" />
      <source>件</source>
      <translation>items</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="129" />
      <source>{v} 元</source>
      <translation>{v} yuan</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="141" />
      <source>元</source>
      <translation>yuan</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="192" />
      <source>仅统计</source>
      <translation>Reported only</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="194" />
      <source>目标 {t}</source>
      <translation>Target {t}</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="197" />
      <source>（{n}/{d}）</source>
      <translation> ({n}/{d})</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="204" />
      <source>数据不全 {n} 个</source>
      <translation>Data incomplete: {n} villages</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="204" />
      <source>数据不全 {n} 户</source>
      <translation>Data incomplete: {n} households</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="237" />
      <source>{name} · 结对帮扶工作台</source>
      <translation>{name} · Paired-assistance workbench</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="241" />
      <source>刷新</source>
      <translation>Refresh</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="258" />
      <source>范围</source>
      <translation>Scope</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="260" />
      <source>年度</source>
      <translation>Year</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="335" />
      <source>截至 {d}</source>
      <translation>As of {d}</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="431" />
      <source>各村农户结对覆盖率（最低的村在上）</source>
      <translation>Household pairing coverage by village (lowest first)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="440" />
      <source>人均可支配收入</source>
      <translation>Per-capita income</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="441" />
      <source>目标 {t:,.0f} 元</source>
      <translation>Target {t:,.0f} yuan</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="442" />
      <source>低收入农户人均可支配收入（不含低保户）</source>
      <translation>Per-capita income of low-income households (excl. dibao)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="454" />
      <source>项目资金（按类别，万元）</source>
      <translation>Project money by category (10k yuan)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="455" />
      <source>项目资金（按阶段，万元）</source>
      <translation>Project money by stage (10k yuan)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="465" />
      <source>预算</source>
      <translation>Budget</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="472" />
      <source>已支出</source>
      <translation>Disbursed</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="521" />
      <source>{title} · 数据不全</source>
      <translation>{title} · data incomplete</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="526" />
      <source>加载中……</source>
      <translation>Loading…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/dashboard.py" line="542" />
      <source>共 {n} 条（最多显示 1000 条）</source>
      <translation>{n} rows (at most 1000 shown)</translation>
    </message>
  </context>
  <context>
    <name>detail</name>
    <message>
      <location filename="../../ui/record_page.py" line="215" />
      <source>新增…</source>
      <translation>New…</translation>
    </message>
    <message>
      <location filename="../../ui/record_page.py" line="220" />
      <source>编辑… (F2)</source>
      <translation>Edit… (F2)</translation>
    </message>
    <message>
      <location filename="../../ui/record_page.py" line="36" />
      <source>家庭成员</source>
      <translation>Members</translation>
    </message>
    <message>
      <location filename="../../ui/record_page.py" line="37" />
      <source>结对记录</source>
      <translation>Pairings</translation>
    </message>
    <message>
      <location filename="../../ui/record_page.py" line="38" />
      <source>走访记录</source>
      <translation>Visits</translation>
    </message>
    <message>
      <location filename="../../ui/record_page.py" line="39" />
      <source>享受政策</source>
      <translation>Benefits</translation>
    </message>
    <message>
      <location filename="../../ui/record_page.py" line="42" />
      <source>集体经济收入</source>
      <translation>Collective income</translation>
    </message>
    <message>
      <location filename="../../ui/record_page.py" line="46" />
      <source>结对农户</source>
      <translation>Households</translation>
    </message>
    <message>
      <location filename="../../ui/record_page.py" line="51" />
      <source>进度记录</source>
      <translation>Progress</translation>
    </message>
    <message>
      <location filename="../../ui/record_page.py" line="52" />
      <source>受益农户</source>
      <translation>Beneficiaries</translation>
    </message>
    <message>
      <location filename="../../ui/record_page.py" line="75" />
      <source>在左侧列表中选择一条记录</source>
      <translation>Select a record in the list</translation>
    </message>
    <message>
      <location filename="../../ui/record_view.py" line="40" />
      <source>关闭</source>
      <translation>Close</translation>
    </message>
  </context>
  <context>
    <name>entities</name>
    <message>
      <location filename="../../ui/specs.py" line="173" />
      <source>村/乡镇</source>
      <translation>Village/township</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="174" />
      <source>村集体经济收入</source>
      <translation>Village collective income</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="175" />
      <source>部门/单位</source>
      <translation>Departments</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="176" />
      <source>干部</source>
      <translation>Cadres</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="177" />
      <source>民营企业</source>
      <translation>Enterprises</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="178" />
      <source>乡贤/能人</source>
      <translation>Sages</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="179" />
      <source>低收入农户</source>
      <translation>Households</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="180" />
      <source>家庭成员</source>
      <translation>Members</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="181" />
      <source>收入记录</source>
      <translation>Income records</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="182" />
      <source>结对</source>
      <translation>Pairing</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="183" />
      <source>走访记录</source>
      <translation>Visits</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="184" />
      <source>享受政策</source>
      <translation>Benefits</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="185" />
      <source>帮扶项目</source>
      <translation>Projects</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="186" />
      <source>项目进度</source>
      <translation>Project progress</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="187" />
      <source>项目受益户</source>
      <translation>Project beneficiaries</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="188" />
      <source>设置</source>
      <translation>Settings</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="189" />
      <source>经办人</source>
      <translation>Officer</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="190" />
      <source>农户在册时段</source>
      <translation>Period on the register</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="191" />
      <source>同步冲突</source>
      <translation>Sync conflict</translation>
    </message>
  </context>
  <context>
    <name>errors</name>
    <message>
      <location filename="../../ui/errors.py" line="45" />
      <source>程序内部出错，操作未完成。请联系技术支持并提供参考编号：{ref}</source>
      <translation>An internal error stopped the operation. Please contact support with reference {ref}.</translation>
    </message>
    <message>
      <location filename="../../ui/errors.py" line="70" />
      <source>出错了</source>
      <translation>Error</translation>
    </message>
    <message>
      <location filename="../../ui/errors.py" line="74" />
      <source>提示</source>
      <translation>Notice</translation>
    </message>
  </context>
  <context>
    <name>filters</name>
    <message>
      <location filename="../../ui/specs.py" line="130" />
      <source>行政村</source>
      <translation>Village</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="131" />
      <source>类别</source>
      <translation>Category</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="132" />
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="133" />
      <source>结对</source>
      <translation>Pairing</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="133" />
      <source>已结对</source>
      <translation>Paired</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="133" />
      <source>未结对</source>
      <translation>Unpaired</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="134" />
      <source>走访</source>
      <translation>Visits</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="134" />
      <source>超期未走访</source>
      <translation>Not visited in time</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="134" />
      <source>按期走访</source>
      <translation>Visited in time</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="137" />
      <source>级别</source>
      <translation>Level</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="138" />
      <source>重点村</source>
      <translation>Key village</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="138" />
      <source>非重点村</source>
      <translation>Not key</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="139" />
      <source>薄弱村</source>
      <translation>Weak village</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="139" />
      <source>非薄弱村</source>
      <translation>Not weak</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="140" />
      <source>部门结对</source>
      <translation>Department</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="140" />
      <source>缺结对部门</source>
      <translation>Without department</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="140" />
      <source>不缺</source>
      <translation>Has one</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="142" />
      <source>性质</source>
      <translation>Kind</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="144" />
      <source>单位</source>
      <translation>Department</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="146" />
      <source>领导</source>
      <translation>Leader</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="146" />
      <source>领导干部</source>
      <translation>Leaders</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="146" />
      <source>非领导</source>
      <translation>Not leaders</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="149" />
      <source>类型</source>
      <translation>Kind</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="151" />
      <source>结对类型</source>
      <translation>Pairing kind</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="152" />
      <source>进行中</source>
      <translation>Active</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="152" />
      <source>已结束</source>
      <translation>Ended</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="155" />
      <source>方式</source>
      <translation>Mode</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="156" />
      <source>待办</source>
      <translation>Follow-up</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="156" />
      <source>待办未办结</source>
      <translation>Open follow-up</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="156" />
      <source>无待办/已办结</source>
      <translation>None or closed</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="157" />
      <source>逾期</source>
      <translation>Overdue</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="157" />
      <source>待办已逾期</source>
      <translation>Follow-up overdue</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="157" />
      <source>未逾期</source>
      <translation>Not overdue</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="161" />
      <source>阶段</source>
      <translation>Stage</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="163" />
      <source>超预算</source>
      <translation>Over budget</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="163" />
      <source>未超预算</source>
      <translation>Within budget</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="166" />
      <source>对象</source>
      <translation>Object</translation>
    </message>
    <message>
      <location filename="../../ui/specs.py" line="167" />
      <source>操作人</source>
      <translation>User</translation>
    </message>
  </context>
  <context>
    <name>form</name>
    <message>
      <location filename="../../ui/form.py" line="152" />
      <source>修改{noun}</source>
      <translation>Edit {noun}</translation>
    </message>
    <message>
      <location filename="../../ui/form.py" line="152" />
      <source>新增{noun}</source>
      <translation>New {noun}</translation>
    </message>
    <message>
      <location filename="../../ui/form.py" line="177" />
      <source>保存</source>
      <translation>Save</translation>
    </message>
    <message>
      <location filename="../../ui/form.py" line="178" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../ui/form.py" line="216" />
      <source>（请选择）</source>
      <translation>(choose)</translation>
    </message>
    <message>
      <location filename="../../ui/form.py" line="229" />
      <source>未填</source>
      <translation>Unknown</translation>
    </message>
    <message>
      <location filename="../../ui/form.py" line="229" />
      <source>是</source>
      <translation>Yes</translation>
    </message>
    <message>
      <location filename="../../ui/form.py" line="229" />
      <source>否</source>
      <translation>No</translation>
    </message>
    <message>
      <location filename="../../ui/form.py" line="243" />
      <source>（不填）</source>
      <translation>(none)</translation>
    </message>
    <message>
      <location filename="../../ui/form.py" line="259" />
      <source>单位：元，如 9550 或 1.2万</source>
      <translation>In yuan, e.g. 9550 or 1.2万</translation>
    </message>
    <message>
      <location filename="../../ui/form.py" line="285" />
      <source>已登记 {masked}；如需更正请输入完整号码</source>
      <translation>Registered as {masked}; type the full number to correct it</translation>
    </message>
    <message>
      <location filename="../../ui/form.py" line="432" />
      <source>输入姓名、拼音首字母或身份证后几位</source>
      <translation>Type a name, pinyin initials or the ID's last digits</translation>
    </message>
    <message>
      <location filename="../../ui/form.py" line="501" />
      <source>{name}{dept} · 结对 {n} 户</source>
      <translation>{name}{dept} · {n} households</translation>
    </message>
  </context>
  <context>
    <name>households</name>
    <message>
      <location filename="../../ui/pages/households.py" line="126" />
      <source>农户退出/迁出/销户</source>
      <translation>Household exit, move-out or closure</translation>
    </message>
    <message>
      <location filename="../../ui/pages/households.py" line="128" />
      <source>办理 *</source>
      <translation>Action *</translation>
    </message>
    <message>
      <location filename="../../ui/pages/households.py" line="129" />
      <source>日期</source>
      <translation>Date</translation>
    </message>
    <message>
      <location filename="../../ui/pages/households.py" line="130" />
      <source>原因 *</source>
      <translation>Reason *</translation>
    </message>
    <message>
      <location filename="../../ui/pages/households.py" line="135" />
      <source>农户不会被删除；其进行中的结对将以“农户退出”为由结束。</source>
      <translation>The household is not deleted; its active pairings end with the reason 'household exited'.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/households.py" line="72" />
      <source>新增家庭成员…</source>
      <translation>Add member…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/households.py" line="73" />
      <source>记录走访…</source>
      <translation>Log visit…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/households.py" line="74" />
      <source>记录享受政策…</source>
      <translation>Record benefit…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/households.py" line="75" />
      <source>退出/迁出/销户…</source>
      <translation>Exit / move out / close…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/households.py" line="93" />
      <source>记录享受政策 — {name}</source>
      <translation>Record benefit — {name}</translation>
    </message>
  </context>
  <context>
    <name>ledger_file</name>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="105" />
      <source>请输入当前密码。</source>
      <translation>Enter the current password.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="109" />
      <source>两次输入的新密码不一致。</source>
      <translation>The two new passwords differ.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="111" />
      <source>新密码与当前密码相同。</source>
      <translation>The new password is the same as the current one.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="124" />
      <source>台账文件：备份、恢复与密码</source>
      <translation>Ledger file: backup, restore and password</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="137" />
      <source>备份到文件夹或U盘…</source>
      <translation>Back up to a folder or USB stick…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="140" />
      <source>从备份恢复…</source>
      <translation>Restore from a backup…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="143" />
      <source>修改密码…</source>
      <translation>Change password…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="151" />
      <source>备份是台账的加密副本，用做备份时的密码打开，含本机的同步密钥：请像台账本身一样妥善保管。恢复前，当前文件会先另存到数据文件夹的 backups，可以再恢复回来。</source>
      <translation>A backup is an encrypted copy of the ledger; it opens with the password the ledger had when it was made and holds this desk's sync keys: keep it as safely as the ledger itself. Before a restore, the current file is saved to the data folder's backups, so the restore can be undone.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="176" />
      <source>上次备份：尚未备份</source>
      <translation>Last backup: none yet</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="180" />
      <source>上次备份：{when}（{n} 天前），存于 {path}</source>
      <translation>Last backup: {when} ({n} days ago), in {path}</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="184" />
      <source>本台账还没有备份过，请现在备份到文件夹或U盘。</source>
      <translation>This ledger has never been backed up: back it up to a folder or USB stick now.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="187" />
      <source>已超过 {d} 天未备份，请现在备份（提醒间隔可在上方“备份提醒间隔”中修改）。</source>
      <translation>No backup for more than {d} days: back up now (the interval is the "Backup reminder" setting above).</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="207" />
      <source>正在备份台账……</source>
      <translation>Backing up the ledger…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="210" />
      <source>已备份到：{path}</source>
      <translation>Backed up to: {path}</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="211" />
      <source>备份完成。</source>
      <translation>Backup complete.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="211" />
      <source>备份文件：{path}</source>
      <translation>Backup file: {path}</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="220" />
      <source>出错了</source>
      <translation>Error</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="231" />
      <source>用备份 {name} 替换当前台账？
替换前，当前文件会先另存到 {folder}，需要时可以再恢复回来。</source>
      <translation>Replace the current ledger by the backup {name}?
The current file is first saved to {folder}, so it can be restored again if needed.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="234" />
      <source>从备份恢复</source>
      <translation>Restore from a backup</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="243" />
      <source>已从备份恢复。当前文件已保留为 {kept}</source>
      <translation>Restored from the backup. The current file was kept as {kept}</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="246" />
      <source>已从备份恢复。</source>
      <translation>Restored from the backup.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="247" />
      <source>当前文件已保留为 {kept}
台账的密码现在是该备份的密码。</source>
      <translation>The current file was kept as {kept}
The ledger's password is now the backup's password.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="254" />
      <source>正在从备份恢复……</source>
      <translation>Restoring from the backup…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="274" />
      <source>密码已修改：台账文件已用新密码重新加密并校验。</source>
      <translation>Password changed: the ledger file was re-encrypted with the new password and checked.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="278" />
      <source>密码已修改。</source>
      <translation>Password changed.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="278" />
      <source>台账文件已用新密码重新加密并校验。</source>
      <translation>The ledger file was re-encrypted with the new password and checked.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="281" />
      <source>正在用新密码重新加密台账……</source>
      <translation>Re-encrypting the ledger with the new password…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="286" />
      <source>密码已修改</source>
      <translation>Password changed</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="287" />
      <source>密码已修改。以下 {n} 个旧备份仍用旧密码打开，并含本机的同步密钥：</source>
      <translation>Password changed. These {n} older backups still open with the old password and hold this desk's sync keys:</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="293" />
      <source>用新密码重新加密</source>
      <translation>Re-encrypt with the new password</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="295" />
      <source>删除这些备份</source>
      <translation>Delete these backups</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="297" />
      <source>保留</source>
      <translation>Keep</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="318" />
      <source>已用新密码重新加密</source>
      <translation>Re-encrypted with the new password:</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="318" />
      <source>已删除</source>
      <translation>Deleted:</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="319" />
      <source>{verb} {n} 个旧备份。</source>
      <translation>{verb} {n} older backup(s).</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="325" />
      <source>正在处理旧备份……</source>
      <translation>Dealing with the older backups…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="47" />
      <source>选择备份到的文件夹（如U盘）</source>
      <translation>Choose the folder to back up to (e.g. a USB stick)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="51" />
      <source>选择备份文件</source>
      <translation>Choose a backup file</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="51" />
      <source>台账备份 (*.db)</source>
      <translation>Ledger backups (*.db)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="56" />
      <source>备份的密码</source>
      <translation>Backup password</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="56" />
      <source>请输入该备份的密码（做备份时台账所用的密码）：</source>
      <translation>Enter the backup's password (the ledger's password when the backup was made):</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="66" />
      <source>修改密码</source>
      <translation>Change password</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="80" />
      <source>修改后，以前做的备份仍然用旧密码打开，并且含有本机的同步密钥。修改完成后可以选择用新密码重新加密这些备份，或删除它们。</source>
      <translation>After the change, older backups still open with the old password and hold this desk's sync keys. Once changed, you can re-encrypt them with the new password or delete them.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="88" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="92" />
      <source>当前密码</source>
      <translation>Current password</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="93" />
      <source>新密码</source>
      <translation>New password</translation>
    </message>
    <message>
      <location filename="../../ui/pages/ledger_file.py" line="94" />
      <source>再次输入新密码</source>
      <translation>Repeat the new password</translation>
    </message>
  </context>
  <context>
    <name>list</name>
    <message>
      <location filename="../../ui/list_panel.py" line="136" />
      <source>列</source>
      <translation>Columns</translation>
    </message>
    <message>
      <location filename="../../ui/list_panel.py" line="137" />
      <source>选择显示的列</source>
      <translation>Choose the columns shown</translation>
    </message>
    <message>
      <location filename="../../ui/list_panel.py" line="185" />
      <source>{label}：全部</source>
      <translation>{label}: all</translation>
    </message>
    <message>
      <location filename="../../ui/list_panel.py" line="230" />
      <source>加载中……</source>
      <translation>Loading…</translation>
    </message>
    <message>
      <location filename="../../ui/list_panel.py" line="279" />
      <source>共 {n} 条</source>
      <translation>{n} rows</translation>
    </message>
    <message>
      <location filename="../../ui/list_panel.py" line="281" />
      <source>{n}+ 条，正在统计……</source>
      <translation>{n}+ rows, counting…</translation>
    </message>
    <message>
      <location filename="../../ui/list_panel.py" line="52" />
      <source>搜索：姓名、拼音首字母（如 wf）或身份证号后几位</source>
      <translation>Search: name, pinyin initials (e.g. wf) or the ID's last digits</translation>
    </message>
    <message>
      <location filename="../../ui/list_panel.py" line="53" />
      <source>搜索：姓名或拼音首字母</source>
      <translation>Search: name or pinyin initials</translation>
    </message>
    <message>
      <location filename="../../ui/list_panel.py" line="89" />
      <source>搜索</source>
      <translation>Search</translation>
    </message>
  </context>
  <context>
    <name>main</name>
    <message>
      <location filename="../../ui/main_window.py" line="109" />
      <source>帮扶通已锁定。请输入密码继续。</source>
      <translation>Bangfu is locked. Enter the password to continue.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="123" />
      <source>节点：{name}（{code}）</source>
      <translation>Node: {name} ({code})</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="124" />
      <source>演示数据库（关闭后删除）</source>
      <translation>demo database (deleted on exit)</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="125" />
      <source>数据库：{path}</source>
      <translation>Database: {path}</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="126" />
      <source>上次同步：—</source>
      <translation>Last sync: —</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="136" />
      <source>处理中……</source>
      <translation>Working…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="241" />
      <source>经办人：{name}</source>
      <translation>Officer: {name}</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="271" />
      <source>已 {n} 天未备份</source>
      <translation>No backup for {n} days</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="273" />
      <source>尚未备份</source>
      <translation>Never backed up</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="276" />
      <source>点击到“设置”备份台账</source>
      <translation>Click to back up the ledger in Settings</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="283" />
      <source>尚未同步</source>
      <translation>never</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="284" />
      <source>上次同步：{t}</source>
      <translation>Last sync: {t}</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="84" />
      <source>帮扶通 · 结对帮扶台账</source>
      <translation>Bangfu · paired-assistance ledger</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="86" />
      <source>演示数据库</source>
      <translation>demo database</translation>
    </message>
  </context>
  <context>
    <name>officers</name>
    <message>
      <location filename="../../ui/officer_picker.py" line="115" />
      <source>请输入经办人姓名。</source>
      <translation>Please enter the officer's name.</translation>
    </message>
    <message>
      <location filename="../../ui/officer_picker.py" line="39" />
      <source>请选择本次操作的经办人。此后的每项修改都记在其名下。</source>
      <translation>Choose the officer working in this session. Every change from now on is recorded under this name.</translation>
    </message>
    <message>
      <location filename="../../ui/officer_picker.py" line="47" />
      <source>新经办人姓名</source>
      <translation>New officer's name</translation>
    </message>
    <message>
      <location filename="../../ui/officer_picker.py" line="50" />
      <source>开始工作</source>
      <translation>Start work</translation>
    </message>
    <message>
      <location filename="../../ui/officer_picker.py" line="58" />
      <source>经办人</source>
      <translation>Officer</translation>
    </message>
    <message>
      <location filename="../../ui/officer_picker.py" line="59" />
      <source>新经办人</source>
      <translation>New officer</translation>
    </message>
    <message>
      <location filename="../../ui/officer_picker.py" line="86" />
      <source>{name}（审计记录中，加入名单）</source>
      <translation>{name} (in the audit trail; add to the list)</translation>
    </message>
    <message>
      <location filename="../../ui/officer_picker.py" line="87" />
      <source>新增经办人……</source>
      <translation>Add a new officer…</translation>
    </message>
    <message>
      <location filename="../../ui/officer_picker.py" line="94" />
      <source>本台账尚无经办人名单：请选择审计记录中的姓名，或新增一位。</source>
      <translation>This ledger has no list of officers yet: choose a name from the audit trail or add a new one.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/officers_box.py" line="115" />
      <source>已添加经办人：{name}</source>
      <translation>Officer added: {name}</translation>
    </message>
    <message>
      <location filename="../../ui/pages/officers_box.py" line="126" />
      <source>已更名为：{name}</source>
      <translation>Renamed to: {name}</translation>
    </message>
    <message>
      <location filename="../../ui/pages/officers_box.py" line="137" />
      <source>已离任：{name}</source>
      <translation>Retired: {name}</translation>
    </message>
    <message>
      <location filename="../../ui/pages/officers_box.py" line="34" />
      <source>经办人名单（解锁时选择，修改记入审计）</source>
      <translation>Officers (chosen at unlock; changes are audited)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/officers_box.py" line="39" />
      <source>姓名</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../ui/pages/officers_box.py" line="39" />
      <source>职务</source>
      <translation>Post</translation>
    </message>
    <message>
      <location filename="../../ui/pages/officers_box.py" line="39" />
      <source>电话</source>
      <translation>Phone</translation>
    </message>
    <message>
      <location filename="../../ui/pages/officers_box.py" line="39" />
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../ui/pages/officers_box.py" line="54" />
      <source>新增</source>
      <translation>Add</translation>
    </message>
    <message>
      <location filename="../../ui/pages/officers_box.py" line="56" />
      <source>改为此姓名</source>
      <translation>Rename to this name</translation>
    </message>
    <message>
      <location filename="../../ui/pages/officers_box.py" line="58" />
      <source>离任</source>
      <translation>Retire</translation>
    </message>
    <message>
      <location filename="../../ui/pages/officers_box.py" line="63" />
      <source>离任的经办人保留在名单中（审计记录里有其姓名），但不能再被选择。</source>
      <translation>Retired officers stay on the list (the audit trail holds their names) but can no longer be chosen.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/officers_box.py" line="87" />
      <source>在任</source>
      <translation>Active</translation>
    </message>
    <message>
      <location filename="../../ui/pages/officers_box.py" line="87" />
      <source>已离任</source>
      <translation>Retired</translation>
    </message>
  </context>
  <context>
    <name>onboarding</name>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="100" />
      <source>生成根密钥</source>
      <translation>Make the root key</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="108" />
      <source>全市只做一次。根密钥是整个同步目录的信任起点：各县、乡镇入网时都要与市扶贫办电话核对它的指纹。</source>
      <translation>Done once for the whole city. The root key is where all trust in the sync directory starts: every county and township compares its fingerprint with the municipal office by phone when joining.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="116" />
      <source>第 1 步：生成入网申请文件，交给上级</source>
      <translation>Step 1: write the join request and take it to the parent office</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="117" />
      <source>生成入网申请文件…</source>
      <translation>Write the join request…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="125" />
      <source>本机第一次生成时会同时生成同步密钥。把申请文件用U盘带给（或发给）上级——县扶贫办，或直接向市扶贫办报送的乡镇交给市扶贫办。对方打开后会打电话，请您念出下面的本机指纹。</source>
      <translation>The first time, this desk's sync keys are made too. Take the request file by USB stick (or send it) to the parent office — the county poverty office, or the municipal office for a township that reports to the city directly. When they open it they will phone you and ask you to read out this desk's fingerprint below.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="135" />
      <source>第 2 步：导入上级签发的入网文件，核对市级根指纹</source>
      <translation>Step 2: open the onboarding file the parent issued and compare the city's root fingerprint</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="136" />
      <source>打开入网文件…</source>
      <translation>Open the onboarding file…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="141" />
      <source>指纹一致，加入同步目录</source>
      <translation>The fingerprints match: join</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="144" />
      <source>不一致，放弃</source>
      <translation>They differ: discard</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="153" />
      <source>上级签发后会把入网文件交给您（U盘或内部传输）。打开后，请打电话给市扶贫办核对根指纹。</source>
      <translation>The parent office gives you the onboarding file it issued (USB stick or internal transfer). After opening it, phone the municipal office to compare the root fingerprint.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="160" />
      <source>更换本机密钥</source>
      <translation>Replace this desk's key</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="161" />
      <source>生成新密钥和换钥申请…</source>
      <translation>Make a new key and its request…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="168" />
      <source>电脑更换、密钥可能泄露或按规定定期更换时使用。换钥申请由旧密钥一同签署，上级不必重新核对指纹；上级签发后，在第 2 步导入新的入网文件。</source>
      <translation>For a new computer, a key that may have leaked, or a scheduled change. The request is signed by the old key too, so the parent needs no new fingerprint check; once it is issued, open the new onboarding file in step 2.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="178" />
      <source>为下级签发入网文件</source>
      <translation>Issue onboarding files to lower offices</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="179" />
      <source>打开下级的入网申请…</source>
      <translation>Open a join request…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="184" />
      <source>已打电话请对方念出本机指纹，与上面逐字核对，一致</source>
      <translation>I phoned them, they read out their fingerprint, and it matches the one above character for character</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="186" />
      <source>签发并保存入网文件…</source>
      <translation>Issue and save the onboarding file…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="192" />
      <source>下级（县或乡镇）把入网申请文件交给您后，在这里打开、核对指纹、签发。</source>
      <translation>When a county or township gives you its join request, open it here, compare the fingerprint and issue.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="200" />
      <source>本机签发的下级密钥</source>
      <translation>Keys issued by this office</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="203" />
      <source>节点</source>
      <translation>Node</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="203" />
      <source>级别</source>
      <translation>Level</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="203" />
      <source>第几代</source>
      <translation>Key no.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="203" />
      <source>指纹</source>
      <translation>Fingerprint</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="203" />
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="210" />
      <source>吊销所选密钥…</source>
      <translation>Revoke the selected key…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="217" />
      <source>吊销后，该密钥此后签署的同步包一律拒收，它签发的下级密钥一并失效；吊销声明随您下一次导出的同步包传给其他节点。</source>
      <translation>After revocation, every package signed with that key is refused and the keys it issued are void too; the revocation travels to other nodes in the next package you export.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="243" />
      <source>关闭</source>
      <translation>Close</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="274" />
      <source>本机：{name}（{code}），{role}</source>
      <translation>This desk: {name} ({code}), {role}</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="277" />
      <source>已生成市级根密钥。</source>
      <translation>The municipal root key has been made.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="280" />
      <source>已入网，上级 {parent}。可以在同步页导出同步包发给上级。</source>
      <translation>Joined; parent {parent}. Export packages to the parent on the Sync page.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="283" />
      <source>已生成密钥，尚未入网：等待上级签发的入网文件（第 2 步）。</source>
      <translation>Keys made, not joined yet: waiting for the onboarding file from the parent (step 2).</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="285" />
      <source>尚未入网。</source>
      <translation>Not joined yet.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="287" />
      <source>已信任的市级根指纹：{fp}</source>
      <translation>Trusted municipal root fingerprint: {fp}</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="292" />
      <source>市级根指纹（各县、乡镇入网时电话核对）：</source>
      <translation>Municipal root fingerprint (counties and townships compare it by phone when joining):</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="303" />
      <source>已吊销</source>
      <translation>Revoked</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="303" />
      <source>有效</source>
      <translation>Valid</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="327" />
      <source>保存入网申请文件（如存到U盘）</source>
      <translation>Save the join request (e.g. to a USB stick)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="334" />
      <source>已保存：{path}
请把这个文件交给上级（县扶贫办或市扶贫办）。对方打开后会打电话，请您念出本机指纹：</source>
      <translation>Saved: {path}
Take this file to the parent office (county or municipal). When they open it they will phone you; read out this desk's fingerprint:</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="344" />
      <source>打开上级签发的入网文件</source>
      <translation>Open the onboarding file from the parent office</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="356" />
      <source>这个入网文件是发给 {other} 的，不是本机（{me}）的：请向上级要本机的入网文件。</source>
      <translation>This onboarding file is for {other}, not for this desk ({me}): ask the parent office for this desk's file.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="363" />
      <source>入网文件由 {root}（{code}）的根密钥签发，含 {n} 份证书。请打电话给市扶贫办，请对方念出市级根指纹，与下面逐字核对：</source>
      <translation>The onboarding file chains to the root key of {root} ({code}) and holds {n} certificates. Phone the municipal office, ask them to read out the root fingerprint and compare it character for character:</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="386" />
      <source>已加入同步目录，信任的市级根指纹：{fp}。现在可以在同步页把同步包导出给上级。</source>
      <translation>Joined the sync directory; trusted municipal root fingerprint: {fp}. Export packages to the parent on the Sync page.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="395" />
      <source>生成新密钥后，需要上级签发新的入网文件才能继续同步。现在更换吗？</source>
      <translation>After a new key is made, the parent must issue a new onboarding file before sync continues. Replace the key now?</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="399" />
      <source>保存换钥申请文件（如存到U盘）</source>
      <translation>Save the key-change request (e.g. to a USB stick)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="406" />
      <source>已保存：{path}
请交给上级签发；新密钥指纹 {fp}。签发后在第 2 步导入新的入网文件。</source>
      <translation>Saved: {path}
Take it to the parent to issue; new key fingerprint {fp}. Then open the new onboarding file in step 2.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="427" />
      <source>打开下级的入网申请文件</source>
      <translation>Open a join request file</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="439" />
      <source>换钥申请（第 {n} 代密钥，由旧密钥共同签署）</source>
      <translation>key-change request (key no. {n}, also signed by the old key)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="441" />
      <source>入网申请</source>
      <translation>join request</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="444" />
      <source>{name}（{code}），{role}：{kind}。
请打电话给对方，请对方念出其本机指纹，与下面逐字核对：</source>
      <translation>{name} ({code}), {role}: {kind}.
Phone them, ask them to read out their fingerprint and compare it character for character:</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="457" />
      <source>保存入网文件（如存到U盘）</source>
      <translation>Save the onboarding file (e.g. to a USB stick)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="465" />
      <source>已签发并保存：{path}
请把这个文件交给 {name}（{code}）。对方导入时会打电话核对市级根指纹：{fp}</source>
      <translation>Issued and saved: {path}
Give this file to {name} ({code}). When they open it they will phone to compare the municipal root fingerprint: {fp}</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="480" />
      <source>该密钥已吊销。</source>
      <translation>That key is already revoked.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="482" />
      <source>吊销 {code} 的第 {n} 代密钥？吊销后不能撤销，该节点需要换钥并重新签发才能再同步。</source>
      <translation>Revoke key no. {n} of {code}? This cannot be undone; the node needs a new key, issued again, before it can sync.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="485" />
      <source>吊销密钥</source>
      <translation>Revoke key</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="491" />
      <source>已吊销 {code} 的第 {n} 代密钥。请导出同步包，把吊销声明传给其他节点。</source>
      <translation>Key no. {n} of {code} revoked. Export packages to pass the revocation on to other nodes.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="51" />
      <source>入网文件 (*.json)</source>
      <translation>Onboarding files (*.json)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="88" />
      <source>入网与密钥</source>
      <translation>Joining and keys</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync_onboarding.py" line="99" />
      <source>第 1 步：生成市级根密钥</source>
      <translation>Step 1: make the municipal root key</translation>
    </message>
  </context>
  <context>
    <name>pages</name>
    <message>
      <location filename="../../ui/pages/__init__.py" line="37" />
      <source>工作台</source>
      <translation>Dashboard</translation>
    </message>
    <message>
      <location filename="../../ui/pages/__init__.py" line="38" />
      <source>低收入农户</source>
      <translation>Households</translation>
    </message>
    <message>
      <location filename="../../ui/pages/__init__.py" line="39" />
      <source>村/集体经济</source>
      <translation>Villages</translation>
    </message>
    <message>
      <location filename="../../ui/pages/__init__.py" line="40" />
      <source>干部与部门</source>
      <translation>Cadres &amp; departments</translation>
    </message>
    <message>
      <location filename="../../ui/pages/__init__.py" line="41" />
      <source>结对帮扶</source>
      <translation>Pairing</translation>
    </message>
    <message>
      <location filename="../../ui/pages/__init__.py" line="42" />
      <source>走访记录</source>
      <translation>Visits</translation>
    </message>
    <message>
      <location filename="../../ui/pages/__init__.py" line="43" />
      <source>帮扶项目</source>
      <translation>Projects</translation>
    </message>
    <message>
      <location filename="../../ui/pages/__init__.py" line="44" />
      <source>报表</source>
      <translation>Reports</translation>
    </message>
    <message>
      <location filename="../../ui/pages/__init__.py" line="45" />
      <source>同步</source>
      <translation>Sync</translation>
    </message>
    <message>
      <location filename="../../ui/pages/__init__.py" line="46" />
      <source>审计</source>
      <translation>Audit</translation>
    </message>
    <message>
      <location filename="../../ui/pages/__init__.py" line="47" />
      <source>设置</source>
      <translation>Settings</translation>
    </message>
    <message>
      <location filename="../../ui/pages/__init__.py" line="81" />
      <source>“{title}”页面正在开发中，敬请期待。</source>
      <translation>The '{title}' page is being built.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/helpers.py" line="16" />
      <source>干部</source>
      <translation>Cadres</translation>
    </message>
    <message>
      <location filename="../../ui/pages/helpers.py" line="17" />
      <source>部门/单位</source>
      <translation>Departments</translation>
    </message>
    <message>
      <location filename="../../ui/pages/helpers.py" line="18" />
      <source>民营企业</source>
      <translation>Enterprises</translation>
    </message>
    <message>
      <location filename="../../ui/pages/helpers.py" line="19" />
      <source>乡贤/能人</source>
      <translation>Sages</translation>
    </message>
    <message>
      <location filename="../../ui/pages/helpers.py" line="33" />
      <source>记录走访…</source>
      <translation>Log visit…</translation>
    </message>
  </context>
  <context>
    <name>pairing</name>
    <message>
      <location filename="../../ui/pages/pairing.py" line="100" />
      <source>结对 →</source>
      <translation>Pair →</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="123" />
      <source>请先在左侧选择要结对的对象，并选择帮扶方。</source>
      <translation>Select what to pair on the left and choose a helper first.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="139" />
      <source>超出结对上限</source>
      <translation>Over the caseload cap</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="144" />
      <source>仍要结对吗？此操作将记入审计。</source>
      <translation>Pair anyway? This is recorded in the audit trail.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="145" />
      <source>仍然结对</source>
      <translation>Pair anyway</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="146" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="155" />
      <source>已结对 {n} 个对象。</source>
      <translation>{n} paired.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="169" />
      <source>结束结对…</source>
      <translation>End pairing…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="172" />
      <source>干部调离/移交结对户…</source>
      <translation>Cadre leaves / hand over…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="188" />
      <source>请先选择一条结对记录。</source>
      <translation>Select a pairing first.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="204" />
      <source>结束结对</source>
      <translation>End pairing</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="206" />
      <source>结束原因 *</source>
      <translation>End reason *</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="207" />
      <source>结束日期</source>
      <translation>End</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="208" />
      <source>说明</source>
      <translation>Note</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="212" />
      <source>结束后记录保留在结对历史中；农户将重新出现在“未结对农户”中。</source>
      <translation>The pairing stays in the history; the household reappears among the unpaired.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="233" />
      <source>同时登记该干部调离（结束其全部结对）</source>
      <translation>Also record that the cadre left (ends all their pairings)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="250" />
      <source>移交结对户</source>
      <translation>Hand over households</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="252" />
      <source>调离/移交的干部 *</source>
      <translation>Departing cadre *</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="253" />
      <source>接收干部（按结对户数均衡分配）*</source>
      <translation>Receiving cadres (households dealt out by caseload) *</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="254" />
      <source>移交日期</source>
      <translation>Date</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="260" />
      <source>该干部的全部结对户一次性移交，要么全部成功，要么不做任何改动。</source>
      <translation>All of the cadre's households move in one step: all succeed or nothing changes.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="261" />
      <source>已移交 {n} 户。</source>
      <translation>{n} households handed over.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="279" />
      <source>在左侧选择一户或多户（Ctrl/Shift 多选），在下方选择干部（“结对户数”为其当前负责的户数），然后点“结对”。</source>
      <translation>Select one or more households on the left (Ctrl/Shift), pick a cadre below ('Households' is their current caseload), then press 'Pair'.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="291" />
      <source>重点村、薄弱村须有部门结对（一村一部门）。选择村和部门后点“结对”。</source>
      <translation>Key and weak villages need a paired department. Select a village and a department, then press 'Pair'.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="301" />
      <source>每个乡镇须有一名联系领导（一乡一领导）。只有领导干部可以结对。</source>
      <translation>Every township needs a leader; only leader cadres can be paired.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="307" />
      <source>未结对农户</source>
      <translation>Unpaired households</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="308" />
      <source>缺结对部门的村</source>
      <translation>Villages without a department</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="309" />
      <source>无联系领导的乡镇</source>
      <translation>Townships without a leader</translation>
    </message>
    <message>
      <location filename="../../ui/pages/pairing.py" line="310" />
      <source>结对记录</source>
      <translation>Pairings</translation>
    </message>
  </context>
  <context>
    <name>progress</name>
    <message>
      <location filename="../../ui/progress.py" line="24" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../ui/progress.py" line="25" />
      <source>请稍候</source>
      <translation>Please wait</translation>
    </message>
    <message>
      <location filename="../../ui/progress.py" line="55" />
      <source>正在取消……</source>
      <translation>Cancelling…</translation>
    </message>
  </context>
  <context>
    <name>projects</name>
    <message>
      <location filename="../../ui/pages/projects.py" line="27" />
      <source>变更阶段…</source>
      <translation>Change stage…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/projects.py" line="28" />
      <source>登记进度…</source>
      <translation>Record progress…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/projects.py" line="29" />
      <source>添加受益户…</source>
      <translation>Add beneficiary…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/projects.py" line="30" />
      <source>红色行：逾期未完成或支出超预算的项目</source>
      <translation>Red rows: projects overdue or spent above budget</translation>
    </message>
    <message>
      <location filename="../../ui/pages/projects.py" line="49" />
      <source>变更项目阶段</source>
      <translation>Change project stage</translation>
    </message>
    <message>
      <location filename="../../ui/pages/projects.py" line="51" />
      <source>新阶段 *</source>
      <translation>New stage *</translation>
    </message>
    <message>
      <location filename="../../ui/pages/projects.py" line="52" />
      <source>日期</source>
      <translation>Date</translation>
    </message>
    <message>
      <location filename="../../ui/pages/projects.py" line="53" />
      <source>说明（退回或终止时必填）</source>
      <translation>Note (required to go back or terminate)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/projects.py" line="58" />
      <source>阶段依次推进：计划 → 申报 → 审批 → 实施 → 验收 → 完成。每次变更都记入审计。</source>
      <translation>Stages advance in order: plan → apply → approve → implement → accept → done. Each change is audited.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/projects.py" line="85" />
      <source>添加受益户</source>
      <translation>Add beneficiary</translation>
    </message>
    <message>
      <location filename="../../ui/pages/projects.py" line="86" />
      <source>农户 *</source>
      <translation>Household *</translation>
    </message>
  </context>
  <context>
    <name>region</name>
    <message>
      <location filename="../../ui/region_picker.py" line="155" />
      <source>全部（整个台账）</source>
      <translation>All (whole ledger)</translation>
    </message>
    <message>
      <location filename="../../ui/region_picker.py" line="166" />
      <source>请选择地区</source>
      <translation>Choose a place</translation>
    </message>
    <message>
      <location filename="../../ui/region_picker.py" line="167" />
      <source>点击选择地区（县 → 乡镇 → 村）</source>
      <translation>Click to choose a place (county → township → village)</translation>
    </message>
    <message>
      <location filename="../../ui/region_picker.py" line="91" />
      <source>输入地名或拼音首字母筛选</source>
      <translation>Type a place name or pinyin initials to filter</translation>
    </message>
  </context>
  <context>
    <name>report_preview</name>
    <message>
      <location filename="../../ui/report_preview.py" line="101" />
      <source>保存 PDF…</source>
      <translation>Save PDF…</translation>
    </message>
    <message>
      <location filename="../../ui/report_preview.py" line="102" />
      <source>保存 Excel…</source>
      <translation>Save Excel…</translation>
    </message>
    <message>
      <location filename="../../ui/report_preview.py" line="124" />
      <source>PDF 文件 (*.pdf)</source>
      <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
      <location filename="../../ui/report_preview.py" line="124" />
      <source>Excel 文件 (*.xlsx)</source>
      <translation>Excel files (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/report_preview.py" line="138" />
      <source>月报已保存：{path}</source>
      <translation>Report saved: {path}</translation>
    </message>
    <message>
      <location filename="../../ui/report_preview.py" line="142" />
      <source>正在保存……</source>
      <translation>Saving…</translation>
    </message>
    <message>
      <location filename="../../ui/report_preview.py" line="55" />
      <source>正在统计指标……</source>
      <translation>Computing the indicators…</translation>
    </message>
    <message>
      <location filename="../../ui/report_preview.py" line="58" />
      <source>正在排版……</source>
      <translation>Laying out the document…</translation>
    </message>
    <message>
      <location filename="../../ui/report_preview.py" line="61" />
      <source>正在生成预览……</source>
      <translation>Drawing the preview…</translation>
    </message>
    <message>
      <location filename="../../ui/report_preview.py" line="75" />
      <source>月报预览：{title}</source>
      <translation>Report preview: {title}</translation>
    </message>
    <message>
      <location filename="../../ui/report_preview.py" line="94" />
      <source>共 {pages} 页。先看一遍，再保存为 PDF（报送用）或 Excel（可汇总的数字）。</source>
      <translation>{pages} pages. Look them over, then save as PDF (to send upward) or Excel (numbers you can sum).</translation>
    </message>
  </context>
  <context>
    <name>reports</name>
    <message>
      <location filename="../../ui/pages/reports.py" line="112" />
      <source>正在读取……</source>
      <translation>Reading…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="120" />
      <source>（隐藏）</source>
      <translation> (hidden)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="124" />
      <source>表头在第 {rows} 行，数据 {n} 行。</source>
      <translation>Header on row {rows}, {n} data rows.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="132" />
      <source>正在读取表格……</source>
      <translation>Reading the spreadsheet…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="144" />
      <source>第二步：核对列的对应关系</source>
      <translation>Step 2: check what each column holds</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="145" />
      <source>程序已按表头识别各列，请核对；确认后下次导入同样格式的表格会自动记住。</source>
      <translation>Columns were matched by their headers; check them. The confirmed mapping is remembered for sheets laid out the same way.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="147" />
      <source>表格中的列</source>
      <translation>Column in the sheet</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="147" />
      <source>对应的内容</source>
      <translation>Read as</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="154" />
      <source>数据预览（前10行）</source>
      <translation>Preview (first 10 rows)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="167" />
      <source>（不导入）</source>
      <translation>(not imported)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="191" />
      <source>还缺少必需的列：{names}</source>
      <translation>Required columns still missing: {names}</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="208" />
      <source>{name}：新增 {create}，更新 {update}，不变 {unchanged}</source>
      <translation>{name}: {create} new, {update} updated, {unchanged} unchanged</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="209" />
      <source>数据 {rows} 行，有误 {bad} 行。</source>
      <translation>{rows} data rows, {bad} with errors.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="212" />
      <source>变更 {changes} 项，说明 {notices} 条（见下表）。</source>
      <translation>{changes} field changes and {notices} notes (listed below).</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="225" />
      <source>第三步：试导入结果（尚未写入）</source>
      <translation>Step 3: dry run (nothing written yet)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="228" />
      <source>行号</source>
      <translation>Row</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="228" />
      <source>列</source>
      <translation>Column</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="228" />
      <source>原因</source>
      <translation>Reason</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="230" />
      <source>仅导入有效的行（有误的行不导入）</source>
      <translation>Import the valid rows only (skip the rows with errors)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="233" />
      <source>新建地点（台账中没有的行政村，记入审计）</source>
      <translation>Create places (villages the ledger lacks, audited)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="236" />
      <source>保存错误清单…</source>
      <translation>Save the error list…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="249" />
      <source>正在试导入……</source>
      <translation>Running the dry run…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="280" />
      <source>导入错误清单.xlsx</source>
      <translation>import-errors.xlsx</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="280" />
      <source>Excel 文件 (*.xlsx)</source>
      <translation>Excel files (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="283" />
      <source>正在保存……</source>
      <translation>Saving…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="298" />
      <source>第四步：导入</source>
      <translation>Step 4: import</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="305" />
      <source>正在导入……</source>
      <translation>Importing…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="317" />
      <source>导入完成。</source>
      <translation>Import finished.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="337" />
      <source>导入 Excel 表格</source>
      <translation>Import an Excel sheet</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="359" />
      <source>Excel 导入</source>
      <translation>Excel import</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="361" />
      <source>导入 Excel 表格…</source>
      <translation>Import an Excel sheet…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="366" />
      <source>下载空白模板…</source>
      <translation>Save a blank template…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="374" />
      <source>导出台账</source>
      <translation>Export a ledger</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="379" />
      <source>导出完整身份证号码（记入审计）</source>
      <translation>Export full resident IDs (audited)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="380" />
      <source>导出…</source>
      <translation>Export…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="382" />
      <source>台账</source>
      <translation>Ledger</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="387" />
      <source>月报</source>
      <translation>Monthly report</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="394" />
      <source>预览月报…</source>
      <translation>Preview report…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="399" />
      <source>生成 Excel 月报…</source>
      <translation>Excel report…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="399" />
      <source>生成 PDF 月报…</source>
      <translation>PDF report…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="403" />
      <source>月份</source>
      <translation>Month</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="404" />
      <source>地区</source>
      <translation>Region</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="425" />
      <source>模板已保存。</source>
      <translation>Template saved.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="444" />
      <source>已导出 {n} 行。</source>
      <translation>{n} rows exported.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="448" />
      <source>正在导出……</source>
      <translation>Exporting…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="452" />
      <source>报表 (*.{suffix})</source>
      <translation>Report (*.{suffix})</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="461" />
      <source>月报已生成。</source>
      <translation>Report written.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="463" />
      <source>正在生成月报……</source>
      <translation>Writing the report…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="54" />
      <source>选择表格文件</source>
      <translation>Choose a spreadsheet</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="54" />
      <source>表格文件 (*.xlsx *.xls *.ods *.csv)</source>
      <translation>Spreadsheets (*.xlsx *.xls *.ods *.csv)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="58" />
      <source>保存为</source>
      <translation>Save as</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="63" />
      <source>导出完整身份证号码</source>
      <translation>Export full resident IDs</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="63" />
      <source>完整身份证号码属于敏感个人信息，本次导出将记入审计。确定导出吗？</source>
      <translation>Full resident IDs are sensitive personal data; this export will be recorded in the audit trail. Export them?</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="81" />
      <source>第一步：选择表格</source>
      <translation>Step 1: choose the spreadsheet</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="86" />
      <source>选择文件…</source>
      <translation>Choose file…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="91" />
      <source>导入内容</source>
      <translation>Contents</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="95" />
      <source>文件</source>
      <translation>File</translation>
    </message>
    <message>
      <location filename="../../ui/pages/reports.py" line="96" />
      <source>工作表</source>
      <translation>Sheet</translation>
    </message>
  </context>
  <context>
    <name>settings</name>
    <message>
      <location filename="../../ui/pages/settings.py" line="124" />
      <source>设置已保存。</source>
      <translation>Settings saved.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/settings.py" line="47" />
      <source>台账设置（随数据同步）</source>
      <translation>Ledger settings (travel with the data)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/settings.py" line="68" />
      <source>保存设置</source>
      <translation>Save settings</translation>
    </message>
    <message>
      <location filename="../../ui/pages/settings.py" line="73" />
      <source>本机设置</source>
      <translation>This computer</translation>
    </message>
    <message>
      <location filename="../../ui/pages/settings.py" line="80" />
      <source>界面语言（重启后生效）</source>
      <translation>Language (after restart)</translation>
    </message>
  </context>
  <context>
    <name>start</name>
    <message>
      <location filename="../../ui/start.py" line="108" />
      <source>请输入密码</source>
      <translation>Password</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="110" />
      <source>解锁</source>
      <translation>Unlock</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="133" />
      <source>请输入密码。</source>
      <translation>Enter the password.</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="137" />
      <source>正在验证……</source>
      <translation>Checking…</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="175" />
      <source>可以重试了。</source>
      <translation>You can try again.</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="177" />
      <source>已连续输错 {n} 次，请 {s} 秒后再试。</source>
      <translation>{n} wrong attempts in a row; try again in {s} s.</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="186" />
      <source>帮扶通 — 解锁数据库</source>
      <translation>Bangfu — unlock</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="190" />
      <source>帮扶通 · 结对帮扶台账</source>
      <translation>Bangfu · paired-assistance ledger</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="193" />
      <source>数据库：{path}</source>
      <translation>Database: {path}</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="202" />
      <source>数据已加密，请输入密码解锁。</source>
      <translation>The data is encrypted; enter the password to unlock.</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="242" />
      <source>本机节点</source>
      <translation>This node</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="243" />
      <source>选择本台账所属的单位。区划代码取自丽水市统计用区划代码，建立后不能更改。</source>
      <translation>Choose the office this ledger belongs to. Codes are Lishui's statistical division codes and cannot change later.</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="257" />
      <source>节点类型</source>
      <translation>Role</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="258" />
      <source>县（市、区）</source>
      <translation>County</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="259" />
      <source>乡镇（街道）</source>
      <translation>Township</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="260" />
      <source>节点</source>
      <translation>Node</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="270" />
      <source>请选择乡镇（街道）</source>
      <translation>Choose the township</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="298" />
      <source>请补全上面的信息</source>
      <translation>Complete the fields above</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="308" />
      <source>设置密码</source>
      <translation>Set the password</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="309" />
      <source>数据库文件用此密码加密。经办人名单以您为首位，之后可在“设置”中增减。</source>
      <translation>The database file is encrypted with this password. You are the first officer on the list; add or retire others later in Settings.</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="317" />
      <source>重要：密码遗失后，任何人（包括技术支持）都无法恢复数据。请把密码抄写后妥善保管，并定期备份。</source>
      <translation>Important: if the password is lost, nobody (not even support) can recover the data. Write it down, keep it safe, and back up regularly.</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="321" />
      <source>我已知晓密码无法找回</source>
      <translation>I understand the password cannot be recovered</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="325" />
      <source>您的姓名，记为此后每项修改的经办人</source>
      <translation>Your name, recorded as the officer of every change</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="326" />
      <source>首位经办人</source>
      <translation>First officer</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="327" />
      <source>密码</source>
      <translation>Password</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="328" />
      <source>再次输入</source>
      <translation>Repeat</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="329" />
      <source>强度</source>
      <translation>Strength</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="344" />
      <source>两次输入不一致</source>
      <translation>the two entries differ</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="364" />
      <source>帮扶通 — 首次使用</source>
      <translation>Bangfu — first run</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="374" />
      <source>创建数据库</source>
      <translation>Create database</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="375" />
      <source>下一步</source>
      <translation>Next</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="376" />
      <source>上一步</source>
      <translation>Back</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="377" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="78" />
      <source>太短：至少 8 位，建议 12 位以上</source>
      <translation>Too short: at least 8, better 12 or more</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="80" />
      <source>强</source>
      <translation>Strong</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="82" />
      <source>中等：可再加长或混用数字、字母和符号</source>
      <translation>Medium: make it longer or mix digits, letters and symbols</translation>
    </message>
    <message>
      <location filename="../../ui/start.py" line="83" />
      <source>弱：请混用数字、字母和符号</source>
      <translation>Weak: mix digits, letters and symbols</translation>
    </message>
  </context>
  <context>
    <name>sync</name>
    <message>
      <location filename="../../ui/pages/sync.py" line="105" />
      <source>隔离 {q}，规则问题 {r}</source>
      <translation>quarantined {q}, rule problems {r}</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="139" />
      <source>（空）</source>
      <translation>(empty)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="170" />
      <source>导入预览（尚未改动任何数据）</source>
      <translation>Import preview (nothing changed yet)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="179" />
      <source>文件</source>
      <translation>File</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="179" />
      <source>数据表</source>
      <translation>Table</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="179" />
      <source>新建</source>
      <translation>Created</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="179" />
      <source>更新</source>
      <translation>Updated</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="179" />
      <source>未变</source>
      <translation>Unchanged</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="179" />
      <source>冲突</source>
      <translation>Conflicts</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="179" />
      <source>跳过</source>
      <translation>Skipped</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="182" />
      <source>应用导入</source>
      <translation>Apply import</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="185" />
      <source>放弃</source>
      <translation>Discard</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="201" />
      <source>共 {n} 个同步包，{ok} 个可以导入。核对下表后按“应用导入”；每个包整体导入或整体不导入。</source>
      <translation>{n} package(s), {ok} can be imported. Check the table, then press "Apply import"; each package is imported whole or not at all.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="235" />
      <source>选择一条冲突以比较两个值</source>
      <translation>Select a conflict to compare the two values</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="244" />
      <source>本机现值（已采用）</source>
      <translation>Value here (kept)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="244" />
      <source>对方的值（落选）</source>
      <translation>Other node's value (lost)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="264" />
      <source>{entity}（{id}）的“{field}”：对方 {who} 改成了另一个值</source>
      <translation>{entity} ({id}), "{field}": {who} changed it to another value</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="269" />
      <source>{entity}：合并后业务规则不满足，需人工核实</source>
      <translation>{entity}: a business rule is broken after the merge; please check</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="291" />
      <source>导出同步包…</source>
      <translation>Export package…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="294" />
      <source>导入同步包…</source>
      <translation>Import package…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="297" />
      <source>导入文件夹…</source>
      <translation>Import folder…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="300" />
      <source>入网与密钥…</source>
      <translation>Joining and keys…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="306" />
      <source>发给</source>
      <translation>To</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="310" />
      <source>也可把 .bfsync 文件拖到本页</source>
      <translation>or drop .bfsync files on this page</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="320" />
      <source>节点</source>
      <translation>Node</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="320" />
      <source>关系</source>
      <translation>Relation</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="320" />
      <source>最近导入</source>
      <translation>Last import</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="320" />
      <source>最近导出</source>
      <translation>Last export</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="320" />
      <source>未确认变更</source>
      <translation>Unconfirmed changes</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="320" />
      <source>待回执</source>
      <translation>Receipts to send</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="324" />
      <source>编号</source>
      <translation>No.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="324" />
      <source>类型</source>
      <translation>Kind</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="324" />
      <source>记录</source>
      <translation>Record</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="324" />
      <source>字段</source>
      <translation>Field</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="324" />
      <source>本机现值</source>
      <translation>Value here</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="324" />
      <source>对方的值</source>
      <translation>Other node's value</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="324" />
      <source>来自</source>
      <translation>From</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="329" />
      <source>保留本机值</source>
      <translation>Keep value here</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="329" />
      <source>改用对方的值</source>
      <translation>Take other node's value</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="329" />
      <source>已核实</source>
      <translation>Checked</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="338" />
      <source>各对端状态</source>
      <translation>Peers</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="340" />
      <source>冲突与规则问题（需人工处理，处理结果记入审计）</source>
      <translation>Conflicts and rule problems (to be handled by a person; audited)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="389" />
      <source>本机尚未加入同步目录：请点“入网与密钥…”，按步骤完成入网（每一步都会说明把哪个文件交给谁）。</source>
      <translation>This desk has not joined the sync directory: click "Joining and keys…" and follow the steps (each says which file to take to whom).</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="391" />
      <source>本机 {code}，密钥指纹 {fp}。待处理冲突 {c} 条，隔离中 {q} 条。</source>
      <translation>Node {code}, key fingerprint {fp}. {c} open conflict(s), {q} held in quarantine.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="403" />
      <source>上级</source>
      <translation>Parent</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="403" />
      <source>下级</source>
      <translation>Child</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="414" />
      <source>字段冲突</source>
      <translation>Field conflict</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="414" />
      <source>规则问题</source>
      <translation>Rule problem</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="445" />
      <source>提示</source>
      <translation>Note</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="445" />
      <source>还没有可发送的对端：请先完成入网。</source>
      <translation>No peer to send to yet: join the sync directory first.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="458" />
      <source>正在导出同步包……</source>
      <translation>Exporting package…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="461" />
      <source>已导出：{name}（{n} 条变更）</source>
      <translation>Exported: {name} ({n} changes)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="504" />
      <source>出错了</source>
      <translation>Error</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="505" />
      <source>没有找到同步包：请选择扩展名为 .bfsync 的文件。</source>
      <translation>No sync package found: choose files ending in .bfsync.</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="520" />
      <source>正在检查同步包……</source>
      <translation>Checking packages…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="53" />
      <source>可以导入</source>
      <translation>can be imported</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="53" />
      <source>已导入</source>
      <translation>imported</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="54" />
      <source>此包已导入过（重复），应用只会再发一次回执</source>
      <translation>already imported (duplicate); applying only sends the receipt again</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="54" />
      <source>重复包：未改动数据，已再发回执</source>
      <translation>duplicate: nothing changed, receipt sent again</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="547" />
      <source>正在导入同步包……</source>
      <translation>Importing packages…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="555" />
      <source>部分同步包未导入</source>
      <translation>Some packages were not imported</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="56" />
      <source>被拒绝，不能导入</source>
      <translation>refused, cannot be imported</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="56" />
      <source>被拒绝，未导入</source>
      <translation>refused, not imported</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="59" />
      <source>被拒绝：应用只会向发送方发回回执，不改动数据</source>
      <translation>refused: applying only writes the receipt for the sender, no data changes</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="60" />
      <source>被拒绝，未导入数据；回执随下次导出发回</source>
      <translation>refused, no data imported; the receipt goes back with the next export</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="70" />
      <source>选择导出文件夹（如U盘）</source>
      <translation>Choose the export folder (e.g. USB stick)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="74" />
      <source>选择同步包</source>
      <translation>Choose sync packages</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="74" />
      <source>同步包 (*.bfsync)</source>
      <translation>Sync packages (*.bfsync)</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="78" />
      <source>选择存放同步包的文件夹</source>
      <translation>Choose the folder holding the packages</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="92" />
      <source>{f}：发送方 {s}，包序号 {n} — {st}</source>
      <translation>{f}: sender {s}, package {n} — {st}</translation>
    </message>
    <message>
      <location filename="../../ui/pages/sync.py" line="99" />
      <source>{t}：新建 {a}，更新 {u}，未变 {n}，冲突 {c}，跳过 {k}</source>
      <translation>{t}: created {a}, updated {u}, unchanged {n}, conflicts {c}, skipped {k}</translation>
    </message>
  </context>
  <context>
    <name>villages</name>
    <message>
      <location filename="../../ui/pages/villages.py" line="21" />
      <source>登记集体经济收入…</source>
      <translation>Record collective income…</translation>
    </message>
  </context>
  <context>
    <name>visits</name>
    <message>
      <location filename="../../ui/pages/visits.py" line="48" />
      <source>记录走访…</source>
      <translation>Log visit…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/visits.py" line="51" />
      <source>办结待办事项…</source>
      <translation>Close follow-up…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/visits.py" line="54" />
      <source>为所选农户记录走访…</source>
      <translation>Log a visit for this household…</translation>
    </message>
    <message>
      <location filename="../../ui/pages/visits.py" line="59" />
      <source>全部走访</source>
      <translation>All visits</translation>
    </message>
    <message>
      <location filename="../../ui/pages/visits.py" line="60" />
      <source>待办事项</source>
      <translation>Follow-up</translation>
    </message>
    <message>
      <location filename="../../ui/pages/visits.py" line="61" />
      <source>超期未走访农户</source>
      <translation>Not visited in time</translation>
    </message>
    <message>
      <location filename="../../ui/pages/visits.py" line="89" />
      <source>办结待办事项</source>
      <translation>Close follow-up</translation>
    </message>
    <message>
      <location filename="../../ui/pages/visits.py" line="91" />
      <source>办结情况 *</source>
      <translation>Result *</translation>
    </message>
    <message>
      <location filename="../../ui/pages/visits.py" line="92" />
      <source>办结日期</source>
      <translation>Closed on</translation>
    </message>
  </context>
</TS>
